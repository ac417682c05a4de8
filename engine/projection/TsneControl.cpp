#include "projection/TsneControl.h"

namespace lens {

void TsneControl::pause() {
    const std::lock_guard lock(mutex_);
    paused_ = true;
}

void TsneControl::resume() {
    {
        const std::lock_guard lock(mutex_);
        paused_ = false;
    }
    resumed_.notify_all();
}

void TsneControl::stop() {
    stop_.store(true);
    resume();
}

bool TsneControl::isPaused() const {
    const std::lock_guard lock(mutex_);
    return paused_;
}

bool TsneControl::isHeld() const {
    const std::lock_guard lock(mutex_);
    return held_;
}

int TsneControl::lastIteration() const {
    const std::lock_guard lock(mutex_);
    return lastIteration_;
}

EmbeddingMatrix TsneControl::lastLayout() const {
    const std::lock_guard lock(mutex_);
    return lastLayout_;
}

TsneObserver TsneControl::observer(Publisher publish) {
    return [this, publish = std::move(publish)](const TsneProgress& progress) {
        {
            const std::lock_guard lock(mutex_);
            lastIteration_ = progress.iteration;
            if (progress.layout) lastLayout_ = *progress.layout;
        }
        if (publish) publish(progress);
        std::unique_lock lock(mutex_);
        held_ = true;  // seen by other threads only while the wait below blocks
        resumed_.wait(lock, [this] { return !paused_ || stop_.load(); });
        held_ = false;
        return !stop_.load();
    };
}

}  // namespace lens
