// ShapeImageGenerator: non-blank RGB images of three classes, deterministic per seed.
#include "core/data/dataset.h"
#include "core/data/shape_image_generator.h"

#include <QtTest>
#include <cmath>

using namespace layerlens::core;

class TestShapeImageGenerator : public QObject {
    Q_OBJECT

private slots:
    void drawsThreeClassesOfRealImages()
    {
        GeneratorSettings s;
        s.n = 30;
        s.seed = 9;
        const auto data = ShapeImageGenerator::generate(s, 32);
        QCOMPARE(data->size(), std::size_t(30));
        QCOMPARE(data->sampleShape(), (Shape { 3, 32, 32 }));
        QCOMPARE(data->classCount(), 3);
        QCOMPARE(data->classCounts(), (std::vector<int> { 10, 10, 10 }));
        QVERIFY(data->storesBytes());

        std::vector<float> image(3 * 32 * 32);
        double meanCoverage[3] = { 0, 0, 0 };
        for (std::size_t i = 0; i < data->size(); ++i) {
            data->copySample(i, image.data());
            float minV = 1, maxV = 0;
            for (float v : image) {
                minV = std::min(minV, v);
                maxV = std::max(maxV, v);
            }
            QVERIFY2(maxV - minV > 0.1f, "blank image");
            // Pixel (0, 0) is background: every shape lies within half-extent of its centre, so
            // none reaches a corner. Pixels clearly different from it are the shape.
            int shapePixels = 0;
            const std::size_t plane = 32 * 32;
            for (std::size_t p = 0; p < plane; ++p) {
                float d = 0;
                for (std::size_t c = 0; c < 3; ++c)
                    d += std::abs(image[c * plane + p] - image[c * plane]);
                if (d > 0.2f)
                    ++shapePixels;
            }
            QVERIFY2(shapePixels > 20 && shapePixels < 1000, qPrintable(QString::number(shapePixels)));
            meanCoverage[data->label(i)] += shapePixels / 10.0;
        }
        // Circles of radius r cover pi r^2, squares (1.8 r)^2, triangles ~1.3 r^2: the classes differ.
        QVERIFY(meanCoverage[1] > meanCoverage[2]);
        QVERIFY(meanCoverage[0] > meanCoverage[2]);
    }

    void deterministicPerSeed()
    {
        GeneratorSettings s;
        s.n = 6;
        s.seed = 1;
        const auto a = ShapeImageGenerator::generate(s, 16);
        const auto b = ShapeImageGenerator::generate(s, 16);
        s.seed = 2;
        const auto c = ShapeImageGenerator::generate(s, 16);
        std::vector<float> x(768), y(768), z(768);
        a->copySample(4, x.data());
        b->copySample(4, y.data());
        c->copySample(4, z.data());
        QCOMPARE(x, y);
        QVERIFY(x != z);
    }

    void imbalanceAndLimit()
    {
        const auto data = loadDataset("shapes?n=600&size=8&imbalance=0.3&seed=2");
        const auto counts = data->classCounts();
        QCOMPARE(counts[0], 200);
        QVERIFY(counts[1] > 35 && counts[1] < 85);
        QVERIFY(counts[2] < 35);
        QCOMPARE(loadDataset("shapes?n=600&size=8&limit=5")->size(), std::size_t(5));
        QVERIFY_THROWS_EXCEPTION(std::invalid_argument, ShapeImageGenerator::generate(GeneratorSettings {}, 4));
    }
};

QTEST_APPLESS_MAIN(TestShapeImageGenerator)
#include "test_shape_image_generator.moc"
