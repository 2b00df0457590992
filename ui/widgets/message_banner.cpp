#include "ui/widgets/message_banner.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QIcon>
#include <QLabel>
#include <QToolButton>

#include "ui/theme.h"

namespace layerlens::ui {

MessageBanner::MessageBanner(QWidget* parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_icon = new QLabel(this);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("messageBannerText"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close = new QToolButton(this);
    m_close->setObjectName(QStringLiteral("messageBannerClose"));
    m_close->setIcon(QIcon(QStringLiteral(":/icons/close.svg")));
    m_close->setAutoRaise(true);
    m_close->setToolTip(tr("Dismiss"));
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &MessageBanner::dismiss);
    hide();
}

void MessageBanner::showMessage(const QString& text, Level level)
{
    m_level = level;
    m_text->setText(text);
    const QString icon = level == Level::Info ? QStringLiteral(":/icons/info.svg") : QStringLiteral(":/icons/warning.svg");
    m_icon->setPixmap(QIcon(icon).pixmap(20, 20));
    QPalette p = palette();
    QColor background = level == Level::Error ? Theme::errorBackground()
                        : level == Level::Warning ? (Theme::isDark() ? QColor(0x4a, 0x3b, 0x12) : QColor(0xff, 0xf4, 0xd6))
                                                  : (Theme::isDark() ? QColor(0x1c, 0x33, 0x52) : QColor(0xe3, 0xee, 0xfd));
    p.setColor(QPalette::Window, background);
    p.setColor(QPalette::WindowText, level == Level::Error ? Theme::errorColor() : QApplication::palette().color(QPalette::WindowText));
    setPalette(p);
    show();
}

QString MessageBanner::text() const { return isHidden() ? QString() : m_text->text(); }

void MessageBanner::dismiss() { hide(); }

}  // namespace layerlens::ui
