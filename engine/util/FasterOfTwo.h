#pragma once
// Two ways of doing the same work (a training step on one thread or on all of them), the faster
// chosen by timing the segments of work each way runs. Each way is timed once, then the faster
// runs and the other is timed again after 4 segments, then after 8, 16, ... up to 512 while it
// keeps losing (back to 4 when it wins): a machine that becomes busy, where waiting for a second
// thread can cost far more than the work, or idle again changes the choice within a few
// segments, and a losing probe costs little. The chosen way's cost is smoothed over segments; a
// probe's is taken as measured. Whichever way runs must give the same result: only speed is
// chosen here.
#include <algorithm>

namespace lens {

class FasterOfTwo {
public:
    static constexpr int kFirstProbeAfter = 4;
    static constexpr int kLastProbeAfter = 512;

    // The way (0 or 1) the next segment should run.
    int next() const {
        if (cost_[0] < 0) return 0;
        if (cost_[1] < 0) return 1;
        return sinceProbe_ >= probeAfter_ ? 1 - best_ : best_;
    }

    // A segment that ran way `way` cost `cost` (e.g. seconds per sample, >= 0).
    void record(int way, double cost) {
        const bool bothKnown = cost_[0] >= 0 && cost_[1] >= 0;
        const bool probe = bothKnown && way != best_;
        if (!bothKnown || probe)
            cost_[way] = cost;
        else
            cost_[way] = 0.75 * cost_[way] + 0.25 * cost;
        if (cost_[0] < 0 || cost_[1] < 0) return;
        const int faster = cost_[1] < cost_[0] ? 1 : 0;
        if (!bothKnown) {
            sinceProbe_ = 0;
        } else if (probe) {
            sinceProbe_ = 0;
            probeAfter_ =
                faster == way ? kFirstProbeAfter : std::min(2 * probeAfter_, kLastProbeAfter);
        } else {
            ++sinceProbe_;
        }
        best_ = faster;
    }

    int best() const { return best_; }
    double cost(int way) const { return cost_[way]; }  // < 0 until timed
    int probeAfter() const { return probeAfter_; }

private:
    double cost_[2] = {-1.0, -1.0};
    int best_ = 0;
    int sinceProbe_ = 0;
    int probeAfter_ = kFirstProbeAfter;
};

}  // namespace lens
