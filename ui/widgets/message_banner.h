#pragma once
// MessageBanner: a dismissable strip above the workbench for messages that must not be missed
// (training stopped on NaN, a model that does not fit, data that failed to load).

#include <QFrame>

class QLabel;
class QToolButton;

namespace layerlens::ui {

class MessageBanner : public QFrame {
    Q_OBJECT
public:
    enum class Level { Info, Warning, Error };
    explicit MessageBanner(QWidget* parent = nullptr);

    void showMessage(const QString& text, Level level = Level::Error);
    QString text() const;
    Level level() const { return m_level; }

public slots:
    void dismiss();

private:
    QLabel* m_icon;
    QLabel* m_text;
    QToolButton* m_close;
    Level m_level = Level::Info;
};

}  // namespace layerlens::ui
