#include "map/MovieMapFigure.h"

#include "map/MovieMapStyle.h"

#include <QFontInfo>
#include <QFontMetricsF>
#include <QGuiApplication>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <numeric>

namespace lens::ui {

namespace {

using moviemap::kLegendMargin;
using moviemap::kViridis;

constexpr double kFitMargin = 0.95;

// A qualitative palette (Tableau 20 order, strong colours first) for up to 20 categories;
// further categories get golden-angle hues.
constexpr QRgb kPalette[] = {0x1f77b4, 0xff7f0e, 0x2ca02c, 0xd62728, 0x9467bd, 0x8c564b, 0xe377c2,
                             0x7f7f7f, 0xbcbd22, 0x17becf, 0xaec7e8, 0xffbb78, 0x98df8a, 0xff9896,
                             0xc5b0d5, 0xc49c94, 0xf7b6d2, 0xc7c7c7, 0xdbdb8d, 0x9edae5};

constexpr int kScaleLevels = 256;

const std::array<QRgb, kScaleLevels>& scaleTable() {
    static const std::array<QRgb, kScaleLevels> table = [] {
        std::array<QRgb, kScaleLevels> t{};
        constexpr int anchors = static_cast<int>(std::size(kViridis));
        for (int i = 0; i < kScaleLevels; ++i) {
            const double x = static_cast<double>(i) / (kScaleLevels - 1) * (anchors - 1);
            const int lo = std::min(static_cast<int>(x), anchors - 2);
            const double f = x - lo;
            const auto mix = [&](int shift) {
                const double a = (kViridis[lo] >> shift) & 0xff,
                             b = (kViridis[lo + 1] >> shift) & 0xff;
                return static_cast<int>(std::lround(a + (b - a) * f));
            };
            t[static_cast<std::size_t>(i)] = qRgb(mix(16), mix(8), mix(0));
        }
        return t;
    }();
    return table;
}

QRgb scaleRgb(double position) {
    const int level =
        static_cast<int>(std::lround(std::clamp(position, 0.0, 1.0) * (kScaleLevels - 1)));
    return scaleTable()[static_cast<std::size_t>(level)];
}

// A round step for about `count` intervals over `span` (1, 2 or 5 times a power of ten).
double niceStep(double span, int count) {
    const double raw = span / std::max(1, count);
    const double power = std::pow(10.0, std::floor(std::log10(raw)));
    for (double m : {1.0, 2.0, 5.0})
        if (raw <= m * power) return m * power;
    return 10.0 * power;
}

}  // namespace

MovieMapFigure::MovieMapFigure()
    : font_(pixelFont(QGuiApplication::font())), figureTitle_(tr("Movie map")) {
    overlays_.resize(OverlaySlotCount);
}

QColor MovieMapFigure::defaultCategoryColor(int category) {
    constexpr int paletteSize = static_cast<int>(std::size(kPalette));
    if (category >= 0 && category < paletteSize) return QColor::fromRgb(kPalette[category]);
    const int hue = static_cast<int>(std::fmod(std::abs(category) * 137.508, 360.0));
    return QColor::fromHsv(hue, 200, 220);
}

QFont MovieMapFigure::pixelFont(const QFont& base) {
    QFont f = base;
    f.setPixelSize(std::max(9, QFontInfo(base).pixelSize()));
    return f;
}

QPalette MovieMapFigure::exportPalette(const QPalette& screen) {
    QPalette light = screen;
    for (const auto role : {QPalette::Base, QPalette::Window})
        light.setColor(QPalette::All, role, Qt::white);
    for (const auto role : {QPalette::Text, QPalette::WindowText})
        light.setColor(QPalette::All, role, Qt::black);
    light.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x90, 0x90, 0x90));
    light.setColor(QPalette::All, QPalette::Mid, QColor(0xa0, 0xa0, 0xa0));
    return light;
}

// ---- data and filters ----------------------------------------------------------------------

void MovieMapFigure::setPoints(std::vector<QPointF> positions, std::vector<int> categories) {
    categories.resize(positions.size(), -1);
    positions_ = std::move(positions);
    pointCategories_ = std::move(categories);
    weights_.clear();
    values_.clear();
    missingCount_ = 0;
    legendTitle_.clear();
    minimumWeight_ = 0.0;
    for (auto& overlay : overlays_) overlay.indices.clear();
    highlighted_ = -1;
    countCategories();
    bounds_ = computeBounds();
    refreshShown();
    refreshDrawOrder();
}

void MovieMapFigure::countCategories() {
    int maxCategory = static_cast<int>(categories_.size()) - 1;
    for (int c : pointCategories_) maxCategory = std::max(maxCategory, c);
    categoryCounts_.assign(static_cast<std::size_t>(maxCategory + 1), 0);
    for (int c : pointCategories_)
        if (c >= 0) ++categoryCounts_[static_cast<std::size_t>(c)];
    if (categoryVisible_.size() < categoryCounts_.size())
        categoryVisible_.resize(categoryCounts_.size(), true);
}

void MovieMapFigure::setColouring(Colouring colouring) {
    legendTitle_ = std::move(colouring.title);
    categories_ = std::move(colouring.categories);
    colouring.pointCategories.resize(positions_.size(), -1);
    pointCategories_ = std::move(colouring.pointCategories);
    values_ = std::move(colouring.values);
    if (!values_.empty())
        values_.resize(positions_.size(), std::numeric_limits<float>::quiet_NaN());
    scale_ = colouring.scale;
    missingCount_ = static_cast<int>(
        std::count_if(values_.begin(), values_.end(), [](float v) { return std::isnan(v); }));
    countCategories();
    refreshShown();
    refreshDrawOrder();
}

void MovieMapFigure::refreshDrawOrder() {
    drawOrder_.resize(positions_.size());
    std::iota(drawOrder_.begin(), drawOrder_.end(), 0);
    if (!values_.empty()) {
        // Lowest value first; missing values under everything.
        std::stable_sort(drawOrder_.begin(), drawOrder_.end(), [this](int a, int b) {
            const float va = values_[static_cast<std::size_t>(a)],
                        vb = values_[static_cast<std::size_t>(b)];
            if (std::isnan(va) || std::isnan(vb)) return std::isnan(va) && !std::isnan(vb);
            return va < vb;
        });
        return;
    }
    // No category first, then the categories from the last to the first (the first on top).
    const auto rank = [this](int i) {
        const int c = pointCategories_[static_cast<std::size_t>(i)];
        return c < 0 ? std::numeric_limits<int>::min() : -c;
    };
    std::stable_sort(drawOrder_.begin(), drawOrder_.end(),
                     [&rank](int a, int b) { return rank(a) < rank(b); });
}

double MovieMapFigure::scalePosition(double value) const {
    if (std::isnan(value)) return std::numeric_limits<double>::quiet_NaN();
    double lo = scale_.minimum, hi = scale_.maximum, v = value;
    if (scale_.logarithmic) {
        lo = std::log10(std::max(lo, 1e-12));
        hi = std::log10(std::max(hi, 1e-12));
        v = value > 0.0 ? std::log10(value) : lo;
    }
    if (!(hi > lo)) return 0.5;
    return std::clamp((v - lo) / (hi - lo), 0.0, 1.0);
}

QColor MovieMapFigure::scaleColor(double position) {
    return QColor::fromRgb(scaleRgb(position));
}

QString MovieMapFigure::tickLabel(double value) const {
    // Years without group separators ("1995", not "1,995").
    if (scale_.decimals == 0 && !scale_.logarithmic) return QString::number(std::lround(value));
    return QLocale().toString(value, 'f', scale_.decimals);
}

std::vector<MovieMapFigure::ColourBarTick> MovieMapFigure::colourBarTicks() const {
    std::vector<ColourBarTick> ticks;
    if (values_.empty()) return ticks;
    ticks.push_back({0.0, tickLabel(scale_.minimum)});
    // Round values between the ends, kept clear of the end labels.
    std::vector<double> inner;
    if (scale_.logarithmic) {
        for (double v = 1.0; v < scale_.maximum; v *= 10.0)
            if (v > scale_.minimum) inner.push_back(v);
    } else if (scale_.maximum > scale_.minimum) {
        const double step = niceStep(scale_.maximum - scale_.minimum, 4);
        for (double v = std::ceil(scale_.minimum / step) * step; v < scale_.maximum; v += step)
            inner.push_back(v);
    }
    for (double v : inner) {
        const double p = scalePosition(v);
        if (p > 0.18 && p < 0.82) ticks.push_back({p, tickLabel(v)});
    }
    if (scale_.maximum > scale_.minimum) ticks.push_back({1.0, tickLabel(scale_.maximum)});
    return ticks;
}

QColor MovieMapFigure::mutedColor(const QPalette& colours) {
    const QColor base = colours.color(QPalette::Base), text = colours.color(QPalette::Text);
    constexpr double f = 0.3;
    return QColor::fromRgbF(static_cast<float>(base.redF() + (text.redF() - base.redF()) * f),
                            static_cast<float>(base.greenF() + (text.greenF() - base.greenF()) * f),
                            static_cast<float>(base.blueF() + (text.blueF() - base.blueF()) * f));
}

std::vector<QRgb> MovieMapFigure::pointColours(const QPalette& colours) const {
    std::vector<QRgb> out(positions_.size());
    const QRgb muted = mutedColor(colours).rgb();
    if (!values_.empty()) {
        for (std::size_t i = 0; i < out.size(); ++i) {
            const double p = scalePosition(values_[i]);
            out[i] = std::isnan(p) ? muted : scaleRgb(p);
        }
        return out;
    }
    std::vector<QRgb> slotColours(categoryCounts_.size());
    for (std::size_t c = 0; c < slotColours.size(); ++c) {
        const auto category = static_cast<int>(c);
        slotColours[c] = category < categories_.size() && categories_[category].muted
                             ? muted
                             : categoryColor(category).rgb();
    }
    const QRgb none = categoryColor(-1).rgb();
    for (std::size_t i = 0; i < out.size(); ++i) {
        const int c = pointCategories_[i];
        out[i] = c >= 0 ? slotColours[static_cast<std::size_t>(c)] : none;
    }
    return out;
}

QColor MovieMapFigure::pointColor(int index, const QPalette& colours) const {
    if (index < 0 || index >= pointCount()) return {};
    const auto i = static_cast<std::size_t>(index);
    if (!values_.empty()) {
        const double p = scalePosition(values_[i]);
        return std::isnan(p) ? mutedColor(colours) : scaleColor(p);
    }
    const int c = pointCategories_[i];
    if (c >= 0 && c < categories_.size() && categories_[c].muted) return mutedColor(colours);
    return categoryColor(c);
}

void MovieMapFigure::setCategories(const QList<Category>& categories) {
    categories_ = categories;
    if (categoryVisible_.size() < static_cast<std::size_t>(categories_.size()))
        categoryVisible_.resize(static_cast<std::size_t>(categories_.size()), true);
    if (categoryCounts_.size() < static_cast<std::size_t>(categories_.size()))
        categoryCounts_.resize(static_cast<std::size_t>(categories_.size()), 0);
}

QString MovieMapFigure::missingLabel() const {
    const QString name = scale_.missingLabel.isEmpty() ? tr("no value") : scale_.missingLabel;
    return QStringLiteral("%1 (%2)").arg(name, QLocale().toString(missingCount_));
}

QPointF MovieMapFigure::pointPosition(int index) const {
    return index >= 0 && index < pointCount() ? positions_[static_cast<std::size_t>(index)]
                                              : QPointF();
}

int MovieMapFigure::pointCategory(int index) const {
    return index >= 0 && index < pointCount() ? pointCategories_[static_cast<std::size_t>(index)]
                                              : -1;
}

QColor MovieMapFigure::categoryColor(int category) const {
    if (category >= 0 && category < categories_.size() && categories_[category].color.isValid())
        return categories_[category].color;
    if (category < 0) return QColor(0x9a, 0x9a, 0x9a);
    return defaultCategoryColor(category);
}

QString MovieMapFigure::categoryLabel(int category) const {
    const QString name = category < categories_.size() ? categories_[category].name
                                                       : tr("Category %1").arg(category);
    return QStringLiteral("%1 (%2)").arg(
        name, QLocale().toString(categoryCounts_[static_cast<std::size_t>(category)]));
}

bool MovieMapFigure::setCategoryVisible(int category, bool visible) {
    if (category < 0 || category >= static_cast<int>(categoryVisible_.size())) return false;
    if (categoryVisible_[static_cast<std::size_t>(category)] == visible) return false;
    categoryVisible_[static_cast<std::size_t>(category)] = visible;
    refreshShown();
    return true;
}

bool MovieMapFigure::isCategoryVisible(int category) const {
    if (category < 0 || category >= static_cast<int>(categoryVisible_.size())) return true;
    return categoryVisible_[static_cast<std::size_t>(category)];
}

void MovieMapFigure::setPointWeights(std::vector<float> weights) {
    if (!weights.empty()) weights.resize(positions_.size(), 0.0F);
    weights_ = std::move(weights);
    refreshShown();
}

void MovieMapFigure::setMinimumWeight(double minimum) {
    minimumWeight_ = minimum;
    refreshShown();
}

bool MovieMapFigure::isPointShown(int index) const {
    return index >= 0 && index < pointCount() && shown_[static_cast<std::size_t>(index)] != 0;
}

void MovieMapFigure::refreshShown() {
    shown_.assign(positions_.size(), 0);
    shownCount_ = 0;
    for (std::size_t i = 0; i < positions_.size(); ++i) {
        const bool weightOk = weights_.empty() || weights_[i] >= minimumWeight_;
        const bool show = weightOk && isCategoryVisible(pointCategories_[i]);
        shown_[i] = show ? 1 : 0;
        shownCount_ += show ? 1 : 0;
    }
}

QRectF MovieMapFigure::computeBounds() const {
    if (positions_.empty()) return {-1.0, -1.0, 2.0, 2.0};
    double minX = positions_[0].x(), maxX = minX, minY = positions_[0].y(), maxY = minY;
    for (const QPointF& p : positions_) {
        minX = std::min(minX, p.x());
        maxX = std::max(maxX, p.x());
        minY = std::min(minY, p.y());
        maxY = std::max(maxY, p.y());
    }
    QRectF bounds(QPointF(minX, minY), QPointF(maxX, maxY));
    if (bounds.width() <= 0.0) bounds.adjust(-0.5, 0.0, 0.5, 0.0);
    if (bounds.height() <= 0.0) bounds.adjust(0.0, -0.5, 0.0, 0.5);
    return bounds;
}

// ---- overlays ------------------------------------------------------------------------------

void MovieMapFigure::setOverlay(int slot, Overlay overlay) {
    if (slot < 0) return;
    if (slot >= static_cast<int>(overlays_.size()))
        overlays_.resize(static_cast<std::size_t>(slot) + 1);
    std::erase_if(overlay.indices, [this](int i) { return i < 0 || i >= pointCount(); });
    overlays_[static_cast<std::size_t>(slot)] = std::move(overlay);
}

void MovieMapFigure::clearOverlay(int slot) {
    if (slot < 0 || slot >= static_cast<int>(overlays_.size())) return;
    overlays_[static_cast<std::size_t>(slot)] = Overlay{};
}

MovieMapFigure::Overlay MovieMapFigure::overlay(int slot) const {
    if (slot < 0 || slot >= static_cast<int>(overlays_.size())) return {};
    return overlays_[static_cast<std::size_t>(slot)];
}

void MovieMapFigure::setHighlighted(int index) {
    highlighted_ = index >= 0 && index < pointCount() ? index : -1;
}

void MovieMapFigure::setPointRadius(double pixels) {
    pointRadius_ = std::clamp(pixels, 0.5, 20.0);
}

// ---- geometry ------------------------------------------------------------------------------

double MovieMapFigure::fitScale(const QSizeF& size) const {
    const double w = std::max(1.0, size.width()), h = std::max(1.0, size.height());
    return std::min(w / bounds_.width(), h / bounds_.height()) * kFitMargin;
}

MovieMapFigure::Transform MovieMapFigure::fittedTransform(const QSizeF& size) const {
    return {bounds_.center(), fitScale(size), size};
}

// ---- painting ------------------------------------------------------------------------------

void MovieMapFigure::paintOverlays(QPainter& painter, const Transform& transform,
                                   const QPalette& colours) const {
    const QRectF area(QPointF(0, 0), transform.size);
    for (const Overlay& overlay : overlays_) {
        if (overlay.indices.empty()) continue;
        const QColor colour =
            overlay.color.isValid() ? overlay.color : colours.color(QPalette::Text);
        const double size = pointRadius_ + 3.5;
        for (int index : overlay.indices) {
            const QPointF p = transform.map(positions_[static_cast<std::size_t>(index)]);
            if (!area.adjusted(-10, -10, 10, 10).contains(p)) continue;
            if (overlay.marker == Marker::Ring) {
                painter.setPen(QPen(colour, 1.8));
                painter.setBrush(Qt::NoBrush);
                painter.drawEllipse(p, size, size);
            } else {
                QPainterPath diamond;
                diamond.moveTo(p + QPointF(0, -size - 1));
                diamond.lineTo(p + QPointF(size + 1, 0));
                diamond.lineTo(p + QPointF(0, size + 1));
                diamond.lineTo(p + QPointF(-size - 1, 0));
                diamond.closeSubpath();
                painter.setPen(QPen(colours.color(QPalette::Base), 1.0));
                painter.setBrush(colour);
                painter.drawPath(diamond);
            }
        }
    }
    if (highlighted_ >= 0) {
        const QPointF p = transform.map(positions_[static_cast<std::size_t>(highlighted_)]);
        const QColor colour = colours.color(QPalette::Highlight);
        painter.setBrush(Qt::NoBrush);
        painter.setPen(QPen(colours.color(QPalette::Base), 4.0));
        painter.drawEllipse(p, 11.0, 11.0);
        painter.setPen(QPen(colour, 2.0));
        painter.drawEllipse(p, 11.0, 11.0);
        painter.drawLine(p + QPointF(-18, 0), p + QPointF(-13, 0));
        painter.drawLine(p + QPointF(13, 0), p + QPointF(18, 0));
        painter.drawLine(p + QPointF(0, -18), p + QPointF(0, -13));
        painter.drawLine(p + QPointF(0, 13), p + QPointF(0, 18));
    }
}

void MovieMapFigure::paintScene(QPainter& painter, const Transform& transform,
                                const QPalette& colours) const {
    const QRectF mapArea(QPointF(0, 0), transform.size);
    painter.save();
    painter.fillRect(mapArea, colours.color(QPalette::Base));
    painter.setClipRect(mapArea);
    painter.setRenderHint(QPainter::Antialiasing, false);
    painter.setPen(Qt::NoPen);
    // Vector points in drawing order, one batch of small squares per run of one colour (two
    // runs for one genre against the rest, at most one per scale level for values), in the
    // screen stamp's size.
    const double side = std::max(1.0, 2.0 * pointRadius_ - 1.0);
    const std::vector<QRgb> colourOf = pointColours(colours);
    const QRectF visible = mapArea.adjusted(-side, -side, side, side);
    QList<QRectF> batch;
    QRgb batchColour = 0;
    const auto flush = [&] {
        if (batch.isEmpty()) return;
        painter.setBrush(QColor::fromRgb(batchColour));
        painter.drawRects(batch.constData(), static_cast<int>(batch.size()));
        batch.clear();
    };
    for (const int index : drawOrder_) {
        const auto i = static_cast<std::size_t>(index);
        if (!shown_[i]) continue;
        const QPointF p = transform.map(positions_[i]);
        if (!visible.contains(p)) continue;
        if (colourOf[i] != batchColour) flush();
        batchColour = colourOf[i];
        batch.append(QRectF(p.x() - side / 2.0, p.y() - side / 2.0, side, side));
    }
    flush();
    painter.setRenderHint(QPainter::Antialiasing, true);
    paintOverlays(painter, transform, colours);
    if (legendVisible_) paintLegend(painter, mapArea, colours);
    painter.restore();
}

void MovieMapFigure::paintFigure(QPainter& painter, const QRectF& target) const {
    painter.save();
    painter.translate(target.topLeft());
    paintScene(painter, fittedTransform(target.size()), exportPalette(QGuiApplication::palette()));
    painter.restore();
}

}  // namespace lens::ui
