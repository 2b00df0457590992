#include "core/train/training_history.h"

#include <charconv>
#include <cmath>
#include <unordered_map>

namespace layerlens::core {

void TrainingHistory::addStep(StepRecord record)
{
    std::lock_guard lock(m_mutex);
    m_steps.push_back(std::move(record));
}

void TrainingHistory::addEpoch(EpochRecord record)
{
    std::lock_guard lock(m_mutex);
    m_epochs.push_back(record);
}

std::vector<StepRecord> TrainingHistory::stepsSince(std::size_t index) const
{
    std::lock_guard lock(m_mutex);
    if (index >= m_steps.size())
        return {};
    return {m_steps.begin() + static_cast<std::ptrdiff_t>(index), m_steps.end()};
}

std::vector<EpochRecord> TrainingHistory::epochsSince(std::size_t index) const
{
    std::lock_guard lock(m_mutex);
    if (index >= m_epochs.size())
        return {};
    return {m_epochs.begin() + static_cast<std::ptrdiff_t>(index), m_epochs.end()};
}

std::size_t TrainingHistory::stepCount() const
{
    std::lock_guard lock(m_mutex);
    return m_steps.size();
}

std::size_t TrainingHistory::epochCount() const
{
    std::lock_guard lock(m_mutex);
    return m_epochs.size();
}

void TrainingHistory::clear()
{
    std::lock_guard lock(m_mutex);
    m_steps.clear();
    m_epochs.clear();
}

namespace {
// std::to_chars: shortest round-trip text, and independent of the C locale (Qt sets LC_NUMERIC
// from the environment, which would make printf write "0,5" in a German session).
template <typename T>
void appendNumber(std::string& out, T value)
{
    if (!std::isfinite(static_cast<double>(value))) {
        out += std::isnan(static_cast<double>(value)) ? "nan" : (value > 0 ? "inf" : "-inf");
        return;
    }
    char buffer[64];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, result.ptr);
}
}  // namespace

std::string TrainingHistory::toCsv() const
{
    std::lock_guard lock(m_mutex);
    // Validation results belong to the step at which their epoch ended.
    std::unordered_map<long long, const EpochRecord*> epochAtStep;
    for (const auto& epoch : m_epochs)
        epochAtStep[epoch.step] = &epoch;

    std::string csv = "step,epoch,loss,accuracy,learning_rate,val_loss,val_accuracy\n";
    for (const auto& step : m_steps) {
        appendNumber(csv, step.step);
        csv += ',';
        appendNumber(csv, step.epoch);
        csv += ',';
        appendNumber(csv, step.loss);
        csv += ',';
        appendNumber(csv, step.accuracy);
        csv += ',';
        appendNumber(csv, step.learningRate);
        csv += ',';
        // An epoch without validation data carries NaN there; an empty cell says "none" to any reader.
        const auto it = epochAtStep.find(step.step);
        if (it != epochAtStep.end() && !std::isnan(it->second->validationLoss)) {
            appendNumber(csv, it->second->validationLoss);
            csv += ',';
            appendNumber(csv, it->second->validationAccuracy);
        } else {
            csv += ',';
        }
        csv += '\n';
    }
    return csv;
}

}  // namespace layerlens::core
