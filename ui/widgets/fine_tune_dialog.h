#pragma once
// FineTuneDialog: Model > Fine-tune…. The person picks a model trained elsewhere (.onnx, .h5,
// .keras, .llmodel), sees its layers with a freeze checkbox each (default: all but the head),
// chooses whether the head is replaced by one for the current dataset's classes and whether the
// same network also trains from scratch for comparison. The surgery itself is core's
// (model_surgery.h); apply() hands the result to the workbench.

#include <QDialog>

#include <memory>
#include <vector>

#include "core/data/dataset.h"
#include "core/model/model.h"

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace layerlens::ui {

class MainWindow;

class FineTuneDialog : public QDialog {
    Q_OBJECT
public:
    // dataset: the workbench's data (its shape and classes size the new head); may be null.
    explicit FineTuneDialog(core::DatasetPtr dataset, QWidget* parent = nullptr);
    ~FineTuneDialog() override;

    // Loads the model file and lists its layers; false (the reason shown) when it cannot.
    bool setModelPath(const QString& path);
    QString modelPath() const;
    bool hasModel() const { return m_model != nullptr; }
    QString message() const;

    QListWidget* layerList() const { return m_layers; }
    QCheckBox* replaceHeadBox() const { return m_replaceHead; }
    QCheckBox* compareBox() const { return m_compare; }
    QLineEdit* pathEdit() const { return m_path; }
    QDialogButtonBox* buttons() const { return m_buttons; }
    bool compareWithScratch() const;

    // The loaded model after the surgery the form asks for (head replaced, layers frozen), built
    // with the file's weights; null with *error set when it cannot be made.
    std::shared_ptr<core::Model> preparedModel(QString* error) const;

    // Puts the prepared model into the window's workbench (builder and session) and starts
    // training it; with the comparison it starts a fine-tune vs scratch race in the Race tab
    // instead. False with *error (also shown in the window's banner) when it fails.
    bool apply(MainWindow* window, QString* error = nullptr) const;

    // Opens the dialog for the window's data and applies it on OK.
    static void run(MainWindow* window);

private:
    void browse();
    void refreshList();
    void setMessage(const QString& text, bool error);

    core::DatasetPtr m_dataset;
    std::unique_ptr<core::Model> m_model;  // as loaded
    std::vector<std::string> m_notes;
    QLineEdit* m_path;
    QPushButton* m_browse;
    QListWidget* m_layers;
    QCheckBox* m_replaceHead;
    QCheckBox* m_compare;
    QLabel* m_message;
    QDialogButtonBox* m_buttons;
};

}  // namespace layerlens::ui
