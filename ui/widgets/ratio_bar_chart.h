#pragma once
// RatioBarChart: one bar per parameter on a logarithmic axis (1e-6 .. 1), with a dashed line at
// the 1e-3 rule of thumb for the update-to-weight ratio (much lower: learning stalls; much
// higher: the learning rate is probably too large).

#include <QStringList>
#include <QWidget>
#include <vector>

namespace layerlens::ui {

class RatioBarChart : public QWidget {
    Q_OBJECT
public:
    static constexpr double kLogMin = 1e-6, kLogMax = 1.0, kReference = 1e-3;

    explicit RatioBarChart(QWidget* parent = nullptr);

    void setValues(std::vector<float> values, QStringList labels);
    void setTitle(const QString& title);
    void setHighlighted(int index);
    void clear();
    int count() const { return static_cast<int>(m_values.size()); }
    const std::vector<float>& values() const { return m_values; }

    QSize sizeHint() const override { return { 360, 240 }; }
    QSize minimumSizeHint() const override { return { 200, 160 }; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    std::vector<float> m_values;
    QStringList m_labels;
    QString m_title;
    int m_highlighted = -1;
};

} // namespace layerlens::ui
