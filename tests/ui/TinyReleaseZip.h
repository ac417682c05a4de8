#pragma once
// A small, valid MovieLens CSV release (ratings, movies, tags, links) zipped in memory the way
// GroupLens ships them ("<name>/ratings.csv", ...), for download and packaging tests.
// Deterministic: user u rates the movies (u * 7 + k * 3) mod movies, k < ratingsPerUser, all
// distinct because 3 and the movie count are coprime, so the counts are known exactly.
#include <QByteArray>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QString>
#include <filesystem>
#include <string>

#include "io/ZipWriter.h"

namespace lens::test {

struct TinyRelease {
    int users = 60;
    int movies = 40;  // not a multiple of 3
    int ratingsPerUser = 20;
    int ratingCount() const { return users * ratingsPerUser; }
};

inline std::vector<ZipEntryData> tinyReleaseEntries(const std::string& name,
                                                    const TinyRelease& r = {}) {
    static const char* genres[] = {
        "Comedy", "Drama",           "Action|Adventure", "Animation|Children|Comedy",
        "Sci-Fi", "Horror|Thriller", "Romance|Drama",    "Documentary"};
    std::string movies = "movieId,title,genres\n";
    std::string links = "movieId,imdbId,tmdbId\n";
    for (int m = 1; m <= r.movies; ++m) {
        movies += std::to_string(m) + ",\"Movie " + std::to_string(m) + ", The (" +
                  std::to_string(1980 + m % 40) + ")\"," + genres[m % 8] + "\n";
        links += std::to_string(m) + "," + std::to_string(100000 + m) + "," +
                 std::to_string(500 + m) + "\n";
    }
    std::string ratings = "userId,movieId,rating,timestamp\n";
    for (int u = 1; u <= r.users; ++u)
        for (int k = 0; k < r.ratingsPerUser; ++k) {
            const int movie = (u * 7 + k * 3) % r.movies + 1;
            const int halfStars = 1 + (u * 13 + k * 5) % 10;  // 0.5 .. 5.0
            ratings += std::to_string(u) + "," + std::to_string(movie) + "," +
                       std::to_string(halfStars / 2) + (halfStars % 2 ? ".5" : ".0") + "," +
                       std::to_string(1'000'000'000 + u * 1000 + k) + "\n";
        }
    const std::string tags =
        "userId,movieId,tag,timestamp\n1,1,funny,1000000001\n2,3,\"dark, moody\",1000000002\n";
    return {{name + "/movies.csv", movies},
            {name + "/ratings.csv", ratings},
            {name + "/tags.csv", tags},
            {name + "/links.csv", links}};
}

// Writes the zip to `path` and returns its bytes (empty on failure).
inline QByteArray writeTinyReleaseZip(const QString& path, const std::string& name,
                                      const TinyRelease& r = {}) {
    writeZipFile(std::filesystem::path(QFile::encodeName(path).toStdString()),
                 tinyReleaseEntries(name, r), ZipCompression::Store);
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline QByteArray md5Hex(const QByteArray& bytes) {
    return QCryptographicHash::hash(bytes, QCryptographicHash::Md5).toHex();
}

}  // namespace lens::test
