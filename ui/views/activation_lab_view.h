#pragma once
// ActivationLabView: plots activation functions and their derivatives over an adjustable range,
// several at once (a checkable list), with the parameters of leaky ReLU and ELU on sliders. The
// samples come from core::sampleActivation, i.e. from Activation::apply/derivative themselves.

#include <QHash>
#include <QList>
#include <QPointF>
#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QListWidget;
class QSlider;

class QChart;
class QChartView;
class QLineSeries;
class QValueAxis;

namespace layerlens::ui {

class ActivationLabView : public QWidget {
    Q_OBJECT
public:
    explicit ActivationLabView(QWidget* parent = nullptr);

    static constexpr int kSamples = 401;

    void setChecked(const QString& name, bool checked);
    QStringList checkedFunctions() const;
    void setRange(double xmin, double xmax);
    void setLeakyAlpha(double alpha);
    void setEluAlpha(double alpha);
    void setShowDerivatives(bool show);
    // The plotted points of one function (derivative = its f' curve); empty when not plotted.
    QList<QPointF> plottedPoints(const QString& name, bool derivative) const;
    QChart* chart() const { return m_chart; }

private:
    void replot();
    void describe(const QString& name);

    QListWidget* m_list;
    QDoubleSpinBox* m_min;
    QDoubleSpinBox* m_max;
    QSlider* m_leaky;
    QSlider* m_elu;
    QLabel* m_leakyLabel;
    QLabel* m_eluLabel;
    QCheckBox* m_derivatives;
    QLabel* m_about;
    QChart* m_chart;
    QChartView* m_view;
    QValueAxis* m_x;
    QValueAxis* m_y;
    QHash<QString, QLineSeries*> m_f, m_df;
};

}  // namespace layerlens::ui
