#include "models/ModelLibrary.h"

namespace lens::ui {

ModelLibrary::ModelLibrary(QObject* parent) : QObject(parent) {}

const ModelLibrary::Entry* ModelLibrary::find(const QString& id) const {
    if (id.isEmpty()) return nullptr;
    for (const Entry& entry : entries_)
        if (entry.id == id) return &entry;
    return nullptr;
}

void ModelLibrary::add(Entry entry) {
    const bool replacesActive = !activeId_.isEmpty() && entry.id == activeId_;
    bool replaced = false;
    for (Entry& existing : entries_)
        if (existing.id == entry.id) {
            existing = std::move(entry);
            replaced = true;
            break;
        }
    if (!replaced) entries_.append(std::move(entry));
    emit entriesChanged();
    if (replacesActive) emit activeChanged();
}

void ModelLibrary::remove(const QString& id) {
    const auto removed = entries_.removeIf([&](const Entry& e) { return e.id == id; });
    if (removed == 0) return;
    emit entriesChanged();
    if (id == activeId_) {
        activeId_.clear();
        emit activeChanged();
    }
}

void ModelLibrary::setActive(const QString& id) {
    const QString next = find(id) ? id : QString();
    if (next == activeId_) return;
    activeId_ = next;
    emit activeChanged();
}

}  // namespace lens::ui
