#include "ui/probe_inputs.h"

#include <QDragEnterEvent>
#include <QDropEvent>
#include <QMimeData>

#include <exception>

#include "core/io/probe_images.h"
#include "ui/training_session.h"

namespace layerlens::ui {

ProbeInputs::ProbeInputs(TrainingSession* session, QObject* parent) : QObject(parent), m_session(session)
{
    connect(m_session, &TrainingSession::trainerCreated, this, [this] {
        if (m_files.isEmpty())
            return;
        QString error;
        if (!apply(m_files, &error)) {
            m_files.clear();  // e.g. the new data are not images: the dataset's probes again
            emit failed(tr("The probe images no longer fit: %1").arg(error));
        }
    });
}

QString ProbeInputs::fileDialogFilter()
{
    return tr("Images (*.png *.jpg *.jpeg *.bmp *.tif *.tiff *.webp *.pgm *.ppm *.pbm);;All files (*)");
}

QStringList ProbeInputs::localFiles(const QMimeData* mime)
{
    QStringList paths;
    for (const QUrl& url : mime->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    return paths;
}

bool ProbeInputs::eventFilter(QObject* watched, QEvent* event)
{
    // Any local file is taken: one that is no image gets a message saying why it cannot be used.
    if (event->type() == QEvent::DragEnter) {
        auto* enter = static_cast<QDragEnterEvent*>(event);
        if (!localFiles(enter->mimeData()).isEmpty()) {
            enter->acceptProposedAction();
            return true;
        }
    } else if (event->type() == QEvent::Drop) {
        auto* drop = static_cast<QDropEvent*>(event);
        const QStringList paths = localFiles(drop->mimeData());
        if (!paths.isEmpty()) {
            drop->acceptProposedAction();
            emit filesDropped(paths);
            return true;
        }
    }
    return QObject::eventFilter(watched, event);
}

bool ProbeInputs::setFiles(const QStringList& paths, QString* error)
{
    if (!apply(paths, error))
        return false;
    m_files = paths;
    return true;
}

bool ProbeInputs::apply(const QStringList& paths, QString* error)
{
    try {
        const core::DatasetPtr data = m_session->dataset();
        if (!data)
            throw std::runtime_error("no dataset is loaded, so the model's input is not known yet");
        std::vector<std::string> files;
        for (const QString& path : paths)
            files.push_back(path.toStdString());
        core::ProbeImages probes = core::ProbeImages::load(files, data->sampleShape());
        // Without a trainer the files are remembered and the next trainer takes them.
        if (core::Trainer* trainer = m_session->trainer())
            trainer->setProbeInputs(std::move(probes.images), std::move(probes.names));
    } catch (const std::exception& e) {
        if (error)
            *error = QString::fromStdString(e.what());
        return false;
    }
    return true;
}

void ProbeInputs::useDataset()
{
    m_files.clear();
    if (core::Trainer* trainer = m_session->trainer())
        trainer->useDatasetProbes();
}

}  // namespace layerlens::ui
