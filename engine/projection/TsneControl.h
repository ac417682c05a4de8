#pragma once
// Pause, resume and stop for a t-SNE run on a worker thread, plus the latest intermediate layout
// for whoever draws the animation.
//
// runTsne() calls its observer every `observeEvery` iterations; observer() returns one that
// (1) stores a copy of the layout as the latest snapshot and forwards it to an optional callback,
// (2) blocks on a condition variable while paused (the worker sleeps, it does not spin), and
// (3) returns false once stop() was called, so runTsne ends with the layout reached so far.
// stop() also wakes a paused worker. All members are safe to call from any thread.
#include <atomic>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "projection/Tsne.h"

namespace lens {

class TsneControl {
public:
    // Called on the worker thread with each intermediate layout (after the snapshot was stored).
    using Publisher = std::function<void(const TsneProgress&)>;

    void pause();
    void resume();
    void stop();  // also resumes, so the worker can finish
    bool isPaused() const;
    // True while the worker is held by pause() (everything it published before is out).
    bool isHeld() const;
    bool isStopRequested() const { return stop_.load(); }

    // Iterations done at the last report, and a copy of the layout then (empty before the first).
    int lastIteration() const;
    EmbeddingMatrix lastLayout() const;

    // The observer to pass to runTsne; `publish` (optional) runs on the worker for each report.
    TsneObserver observer(Publisher publish = {});

private:
    mutable std::mutex mutex_;
    std::condition_variable resumed_;
    bool paused_ = false;
    bool held_ = false;  // the worker waits in the observer
    std::atomic<bool> stop_{false};
    int lastIteration_ = 0;
    EmbeddingMatrix lastLayout_;
};

}  // namespace lens
