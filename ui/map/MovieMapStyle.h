#pragma once
// Constants the movie map figure's parts share (MovieMapFigure.cpp: colours of points;
// MovieMapLegend.cpp: the legend and colour bar).
#include <QRgb>
#include <iterator>

namespace lens::ui::moviemap {

inline constexpr int kLegendMargin = 8;

// Viridis at nine evenly spaced positions (matplotlib's table, as viridisLite::viridis(9));
// scaleColor() interpolates linearly between them in RGB, 256 levels.
inline constexpr QRgb kViridis[] = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21908c,
                                    0x27ad81, 0x5dc863, 0xaadc32, 0xfde725};

}  // namespace lens::ui::moviemap
