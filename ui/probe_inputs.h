#pragma once
// ProbeInputs: image files chosen (dropped or picked in a dialog) as the trainer's probe inputs.
// It reads them with core::ProbeImages in the current data's input shape and hands them to the
// trainer, which shows them from its next snapshot (at once when paused). It remembers the
// files, so that a new trainer (after a reset or a model change) gets them too, until the person
// goes back to the dataset's probes. Installed as an event filter on a widget that accepts drops,
// it takes the local files dropped on it (filesDropped).

#include <QObject>
#include <QStringList>

class QMimeData;

namespace layerlens::ui {

class TrainingSession;

class ProbeInputs : public QObject {
    Q_OBJECT
public:
    explicit ProbeInputs(TrainingSession* session, QObject* parent = nullptr);

    // Reads the files and sets them as probes; false with *error set (naming the file and the
    // reason) when one is not an image, cannot be read or the data are not images.
    bool setFiles(const QStringList& paths, QString* error);
    void useDataset();  // back to the dataset's probe samples
    QStringList files() const { return m_files; }
    bool isUsingFiles() const { return !m_files.isEmpty(); }

    static QString fileDialogFilter();  // "Images (*.png *.jpg ...)"
    static QStringList localFiles(const QMimeData* mime);  // the dropped URLs that are local files

    bool eventFilter(QObject* watched, QEvent* event) override;

signals:
    void filesDropped(const QStringList& paths);  // on a widget this filters
    void failed(const QString& message);  // a new trainer could not take the remembered files

private:
    bool apply(const QStringList& paths, QString* error);

    TrainingSession* m_session;
    QStringList m_files;
};

}  // namespace layerlens::ui
