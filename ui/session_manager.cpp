#include "ui/session_manager.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMessageBox>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabWidget>
#include <QUndoStack>

#include <exception>

#include "ui/main_window.h"
#include "ui/session_file.h"
#include "ui/training_session.h"
#include "ui/views/model_builder_view.h"
#include "ui/views/training_controls.h"
#include "ui/widgets/message_banner.h"

namespace layerlens::ui {

namespace {
constexpr int kDefaultAutosaveMs = 60'000;
}

SessionManager::SessionManager(MainWindow* window) : QObject(window), m_window(window)
{
    m_autosavePath = QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation))
                         .filePath(QStringLiteral("autosave.") + SessionFile::suffix());
    connect(&m_autosaveTimer, &QTimer::timeout, this, &SessionManager::autosaveTick);
    setAutosaveInterval(kDefaultAutosaveMs);
}

SessionManager::Fingerprint SessionManager::current() const
{
    const TrainingSession* session = m_window->session();
    const core::Trainer* trainer = session->trainer();
    return {session->modelDescription(), session->datasetSpec(), session->trainerGeneration(), trainer ? trainer->stepCount() : 0};
}

bool SessionManager::differ(const Fingerprint& a, const Fingerprint& b)
{
    if (a.description != b.description || a.datasetSpec != b.datasetSpec)
        return true;
    // An untrained run is no work, whichever trainer object holds it.
    if (a.steps == 0 && b.steps == 0)
        return false;
    return a.generation != b.generation || a.steps != b.steps;
}

bool SessionManager::isDirty() const { return m_forcedDirty || differ(current(), m_clean); }

void SessionManager::markClean()
{
    m_clean = current();
    m_forcedDirty = false;
}

void SessionManager::setAutosaveInterval(int milliseconds)
{
    if (milliseconds <= 0) {
        m_autosaveTimer.stop();
        return;
    }
    m_autosaveTimer.start(milliseconds);
}

bool SessionManager::fail(const QString& message, QString* error)
{
    if (error)
        *error = message;
    m_window->banner()->showMessage(message, MessageBanner::Level::Error);
    return false;
}

bool SessionManager::write(const QString& path, QString* error)
{
    TrainingSession* session = m_window->session();
    // The worker must let go of the model while it is read; a running training goes on after.
    bool wasRunning = false;
    if (!session->holdStill(&wasRunning))
        return fail(tr("Cannot save the session to %1: the training did not pause").arg(path), error);
    SessionFile file;
    file.datasetSpec = session->datasetSpec();
    file.modelDescription = m_window->builder()->description();
    file.settings = m_window->controls()->settings();
    file.currentView = m_window->workbenchTabs()->tabText(m_window->workbenchTabs()->currentIndex());
    QString message;
    try {
        core::Trainer* trainer = session->trainer();
        // Before the first step the optimizer has no state yet: such a run is saved as untrained
        // and starts afresh (from the same seed) when opened.
        if (trainer && trainer->stepCount() > 0) {
            file.model = trainer->model();
            file.training = trainer->trainingState();
        }
        QDir().mkpath(QFileInfo(path).absolutePath());
        file.save(path);
    } catch (const std::exception& e) {
        message = tr("Cannot save the session: %1").arg(QString::fromStdString(e.what()));
    }
    if (wasRunning)
        session->resume();
    return message.isEmpty() || fail(message, error);
}

bool SessionManager::save(const QString& path, QString* error)
{
    if (!write(path, error))
        return false;
    setPath(path);
    markClean();
    m_window->statusBar()->showMessage(tr("Saved the session to %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool SessionManager::open(const QString& path, QString* error)
{
    SessionFile file;
    try {
        file = SessionFile::load(path);
    } catch (const std::exception& e) {
        return fail(tr("Cannot open the session: %1").arg(QString::fromStdString(e.what())), error);
    }
    // Data first: the model's input follows it. MainWindow::loadDataset changes nothing on failure.
    if (!file.datasetSpec.isEmpty() && !m_window->loadDataset(file.datasetSpec))
        return fail(tr("Cannot open the session %1: its data could not be loaded. %2").arg(path, m_window->banner()->text()), error);
    ModelBuilderView* builder = m_window->builder();
    if (file.modelDescription.is_object()) {
        QString reason;
        if (!builder->setDescription(file.modelDescription, tr("Open session"), &reason))
            return fail(tr("Cannot open the session %1: its model: %2").arg(path, reason), error);
        if (m_window->session()->dataset())
            builder->setInputShape(m_window->session()->dataset()->sampleShape());
        builder->undoStack()->clear();  // an opened session starts its own edit history
    }
    m_window->controls()->setSettings(file.settings);
    m_window->session()->setSettings(file.settings);
    if (file.model) {
        QString reason;
        if (!m_window->session()->adoptTrained(file.model, file.training, &reason))
            return fail(tr("Cannot continue the training saved in %1: %2").arg(path, reason), error);
    }
    QTabWidget* tabs = m_window->workbenchTabs();
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->tabText(i) == file.currentView)
            tabs->setCurrentIndex(i);
    setPath(path);
    markClean();
    m_window->statusBar()->showMessage(tr("Opened the session %1").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool SessionManager::autosaveNow(QString* error)
{
    if (!write(m_autosavePath, error))
        return false;
    m_autosaved = current();
    m_hasAutosaved = true;
    return true;
}

void SessionManager::autosaveTick()
{
    if (!isDirty())
        return;
    // Nothing new since the last autosave: no need to pause the training for it.
    if (m_hasAutosaved && !differ(current(), m_autosaved))
        return;
    QString error;
    if (!autosaveNow(&error))
        m_autosaveTimer.stop();  // the banner says why; retrying every minute would only repeat it
}

bool SessionManager::offerRecovery()
{
    const QFileInfo info(m_autosavePath);
    if (!info.exists())
        return false;
    m_window->banner()->showMessage(
        tr("LayerLens did not close cleanly last time. Your work was autosaved at %1.")
            .arg(QLocale().toString(info.lastModified(), QLocale::ShortFormat)),
        MessageBanner::Level::Warning, tr("Restore"), [this] { restoreAutosave(); });
    return true;
}

bool SessionManager::restoreAutosave()
{
    if (!open(m_autosavePath))
        return false;
    // Restored, but not saved anywhere by the person: still unsaved work.
    setPath(QString());
    m_forcedDirty = true;
    return true;
}

bool SessionManager::confirmClose()
{
    if (!isDirty())
        return true;
    QMessageBox box(QMessageBox::Question, tr("LayerLens"), tr("Save the session before closing?"),
                    QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, m_window);
    box.setObjectName(QStringLiteral("saveBeforeCloseBox"));
    box.setInformativeText(tr("The model was changed or trained since the session was last saved."));
    box.setDefaultButton(QMessageBox::Save);
    switch (box.exec()) {
    case QMessageBox::Save:
        return saveDialog();
    case QMessageBox::Discard:
        return true;
    default:
        return false;
    }
}

void SessionManager::closedCleanly()
{
    m_autosaveTimer.stop();
    QFile::remove(m_autosavePath);
}

bool SessionManager::saveDialog()
{
    if (m_path.isEmpty() || m_path == m_autosavePath)
        return saveAsDialog();
    return save(m_path);
}

bool SessionManager::saveAsDialog()
{
    const QString filter = tr("LayerLens session (*.%1)").arg(SessionFile::suffix());
    QString path = QFileDialog::getSaveFileName(m_window, tr("Save session"), m_path.isEmpty() ? QStringLiteral("session.llsession") : m_path, filter);
    if (path.isEmpty())
        return false;
    if (QFileInfo(path).suffix().isEmpty())
        path += QLatin1Char('.') + SessionFile::suffix();
    return save(path);
}

void SessionManager::openDialog()
{
    if (isDirty()) {
        const auto answer = QMessageBox::question(m_window, tr("Open session"), tr("Opening a session replaces the current work. Save it first?"),
                                                  QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !saveDialog()))
            return;
    }
    const QString path = QFileDialog::getOpenFileName(m_window, tr("Open session"), QFileInfo(m_path).absolutePath(),
                                                      tr("LayerLens session (*.%1);;All files (*)").arg(SessionFile::suffix()));
    if (!path.isEmpty())
        open(path);
}

void SessionManager::setPath(const QString& path)
{
    m_path = path;
    m_window->setWindowTitle(path.isEmpty() ? QStringLiteral("LayerLens")
                                            : tr("%1 — LayerLens").arg(QFileInfo(path).completeBaseName()));
    emit pathChanged(path);
}

}  // namespace layerlens::ui
