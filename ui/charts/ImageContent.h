#pragma once
// A "not blank" check for rendered figures, header-only so that tests which link only QtGui
// (the command-line tests) use the same check as the UI tests.
#include <QImage>
#include <QSet>
#include <algorithm>

namespace lens::ui {

// True when an image has at least `minimumColours` distinct colours (sampled on a grid of at
// most 200 x 200 points).
inline bool imageHasContent(const QImage& image, int minimumColours = 3) {
    if (image.isNull()) return false;
    QSet<QRgb> colours;
    const int stepX = std::max(1, image.width() / 200), stepY = std::max(1, image.height() / 200);
    for (int y = 0; y < image.height(); y += stepY)
        for (int x = 0; x < image.width(); x += stepX) {
            colours.insert(image.pixel(x, y));
            if (colours.size() >= minimumColours) return true;
        }
    return colours.size() >= minimumColours;
}

}  // namespace lens::ui
