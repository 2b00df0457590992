#pragma once
// SessionManager: the workbench's session as a document. Saves and opens .llsession files
// (SessionFile), knows when there is unsaved work (the model edited or trained since the last
// save or open), asks before the window closes with unsaved work, and autosaves while there is
// some, so that a crash loses at most one autosave interval. The main window only wires menus and
// closeEvent to it.

#include <QObject>
#include <QString>
#include <QTimer>

#include <nlohmann/json.hpp>

namespace layerlens::ui {

class MainWindow;

class SessionManager : public QObject {
    Q_OBJECT
public:
    explicit SessionManager(MainWindow* window);

    QString path() const { return m_path; }  // empty until saved or opened
    bool isDirty() const;
    void markClean();  // the current state counts as saved (e.g. the start-up demo)

    // Both report failures in *error and in the window's banner; neither throws.
    bool save(const QString& path, QString* error = nullptr);
    bool open(const QString& path, QString* error = nullptr);

    // The autosave: AppDataLocation/autosave.llsession unless set (tests).
    QString autosavePath() const { return m_autosavePath; }
    void setAutosavePath(const QString& path) { m_autosavePath = path; }
    void setAutosaveInterval(int milliseconds);  // 0 turns autosave off; default one minute
    int autosaveInterval() const { return m_autosaveTimer.isActive() ? m_autosaveTimer.interval() : 0; }
    bool autosaveNow(QString* error = nullptr);
    // When a crash left an autosave behind, offers it in the banner with a Restore button (never
    // a dialog: start-up must not block). True when there is one.
    bool offerRecovery();
    bool restoreAutosave();

    // The close question. True when the window may close: no unsaved work, or the person chose
    // Save (and it saved) or Discard. Cancel, or a failed save, keeps the window open.
    bool confirmClose();
    void closedCleanly();  // removes the autosave: nothing to recover

public slots:
    bool saveDialog();    // to the current path, or asks for one
    bool saveAsDialog();
    void openDialog();

signals:
    void pathChanged(const QString& path);

private:
    // What "unsaved work" compares: the model as described, the data, and the run (which trainer
    // and how far it got). Settings alone are not work.
    struct Fingerprint {
        nlohmann::json description;
        QString datasetSpec;
        long long generation = 0;
        long long steps = 0;
    };
    Fingerprint current() const;
    static bool differ(const Fingerprint& a, const Fingerprint& b);
    bool write(const QString& path, QString* error);
    bool fail(const QString& message, QString* error);
    void autosaveTick();
    void setPath(const QString& path);

    MainWindow* m_window;
    QString m_path;
    QString m_autosavePath;
    QTimer m_autosaveTimer;
    Fingerprint m_clean;
    Fingerprint m_autosaved;
    bool m_hasAutosaved = false;
    bool m_forcedDirty = false;  // restored from an autosave: not saved by the person yet
};

}  // namespace layerlens::ui
