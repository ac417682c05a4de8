#include "projection/MapCsv.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "data/Genre.h"
#include "projection/MapComputation.h"

namespace lens {

namespace {

std::string number(double v) {
    if (!std::isfinite(v)) return {};
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.9g", v);
    return buffer;
}

}  // namespace

std::string csvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + '"';
}

std::string movieMapCsv(const EmbeddingMatrix& layout, const Dataset& dataset) {
    if (layout.rows() != static_cast<Eigen::Index>(dataset.movieCount()) || layout.cols() != 2)
        throw std::invalid_argument("the movie layout does not have one 2D point per movie");
    const MovieValues values = movieValues(dataset);
    std::string out = "movie_id,title,year,genres,ratings,mean_rating,x,y\n";
    for (std::size_t m = 0; m < dataset.movieCount(); ++m) {
        const auto row = static_cast<Eigen::Index>(m);
        out += std::to_string(dataset.movieIds[m]) + ',' + csvField(dataset.titles[m]) + ',' +
               (dataset.years[m] > 0 ? std::to_string(dataset.years[m]) : std::string()) + ',' +
               csvField(dataset.genreListOf(dataset.genres[m])) + ',' +
               std::to_string(static_cast<long long>(values.ratingCount[m])) + ',' +
               number(values.meanRating[m]) + ',' + number(layout(row, 0)) + ',' +
               number(layout(row, 1)) + '\n';
    }
    return out;
}

std::string genreMapCsv(const GenreMap& map, const std::vector<std::string>& vocabulary) {
    std::string out = "genre,movies,x,y\n";
    const auto& genres = map.genres.genres;
    for (std::size_t g = 0; g < genres.size() && static_cast<Eigen::Index>(g) < map.layout.rows();
         ++g) {
        const auto row = static_cast<Eigen::Index>(g);
        const auto id = static_cast<std::size_t>(genres[g]);
        out += csvField(id < vocabulary.size() ? vocabulary[id] : "genre " + std::to_string(id)) +
               ',' +
               std::to_string(g < map.genres.movieCount.size() ? map.genres.movieCount[g] : 0) +
               ',' + number(map.layout(row, 0)) + ',' + number(map.layout(row, 1)) + '\n';
    }
    return out;
}

}  // namespace lens
