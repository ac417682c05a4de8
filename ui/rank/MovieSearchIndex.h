#pragma once
// Title search for the persona editor: "amelie" finds "Amélie (Fabuleux destin d'Amélie
// Poulain, Le) (2001)", as the user types.
//
// Matching is case and accent insensitive: every title is folded once (NFKD decomposition,
// combining marks dropped, case folded; "æ" -> "ae", "ø" -> "o" and a few more letters that
// carry no decomposition), and a query matches a title when every whitespace-separated word of
// the folded query occurs in the folded title. Results are ranked by popularity (number of
// ratings, descending), then by title, so the movie the user most probably means comes first.
#include <QString>
#include <QStringList>
#include <memory>
#include <vector>

namespace lens {
class Dataset;
}

namespace lens::ui {

class MovieSearchIndex {
public:
    MovieSearchIndex() = default;
    explicit MovieSearchIndex(std::shared_ptr<const Dataset> dataset);

    // Lower-case, accents removed, whitespace simplified.
    static QString fold(const QString& text);

    // Dense movie indices matching `query`, most rated first, at most `limit`. An empty query
    // matches nothing.
    std::vector<int> search(const QString& query, int limit = 50) const;

    const Dataset* dataset() const { return dataset_.get(); }
    int ratingCount(int movie) const { return ratingCounts_[movie]; }
    const QString& title(int movie) const { return titles_[movie]; }

private:
    std::shared_ptr<const Dataset> dataset_;
    QStringList titles_;
    QStringList folded_;
    std::vector<int> ratingCounts_;
    std::vector<int> byPopularity_;  // movie indices, most rated first
};

}  // namespace lens::ui
