#pragma once
// Tiny MovieLens releases in every layout, written by the loader tests themselves. Each is a
// map file name -> bytes (exactly as the release would hold them: latin-1 where the release is
// latin-1), with known counts and a few traps: quoted titles with commas and doubled quotes,
// titles with colons in the "::" layouts, accented latin-1 titles, "Children's" vs
// "Children", "(no genres listed)", IMAX. ml-1m and ml-100k carry user files (users.dat,
// u.user) with gender, age and occupation.
#include <QDir>
#include <QFile>
#include <QString>
#include <QtTest>
#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "io/ZipWriter.h"

namespace lens::test {

using Files = std::map<std::string, std::string>;

// 5 ratings by 3 users of 3 movies (movie 40 is listed but unrated); 3 tags; links.
inline Files csvRelease() {
    return {
        {"ratings.csv",
         "userId,movieId,rating,timestamp\n"
         "1,10,4.0,964982703\n"
         "1,20,3.5,964981247\n"
         "2,10,5.0,964982224\n"
         "2,30,0.5,964983815\n"
         "3,20,2.0,964982931\n"},
        {"movies.csv",
         "movieId,title,genres\n"
         "10,\"American President, The (1995)\",Comedy|Drama|Romance\n"
         "20,\"11'09\"\"01 - September 11 (2002)\",Drama\n"
         "30,Pok\xC3\xA9mon 3: The Movie (2001),Animation|Children|IMAX\n"
         "40,Unreleased Thing,(no genres listed)\n"},
        {"tags.csv",
         "userId,movieId,tag,timestamp\n"
         "1,10,\"funny, clever\",1445714994\n"
         "2,20,documentary,1445714996\n"
         "4,30,anime,1445715000\n"},
        {"links.csv",
         "movieId,imdbId,tmdbId\n"
         "10,0112346,9087\n"
         "20,0328802,\n"
         "30,0235679,10991\n"
         "40,0000001,1\n"},
    };
}

// ml-1m: latin-1, "::" separators, titles with single colons, "Children's".
inline Files ml1mRelease() {
    return {
        {"ratings.dat",
         "1::1::5::978300760\n"
         "1::2::3::978302109\n"
         "2::1::4::978301968\n"
         "2::3::2::978300275\n"},
        {"movies.dat",
         "1::Toy Story (1995)::Animation|Children's|Comedy\n"
         "2::Star Wars: Episode IV - A New Hope (1977)::Action|Adventure|Fantasy|Sci-Fi\n"
         "3::Pok\xE9mon: The First Movie (1998)::Animation|Children's\n"
         "4::City of Lost Children, The (1995)::Adventure|Sci-Fi\n"},
        {"users.dat", "1::F::1::10::48067\n2::M::56::16::70072\n"},
    };
}

// ml-10m: half stars and tags.dat.
inline Files ml10mRelease() {
    return {
        {"ratings.dat",
         "1::122::5::838985046\n"
         "1::185::4.5::838983525\n"
         "2::122::3.5::838983392\n"
         "3::292::0.5::838983421\n"},
        {"movies.dat",
         "122::Boomerang (1992)::Comedy|Romance\n"
         "185::Net, The (1995)::Action|Crime|Thriller\n"
         "292::Outbreak (1995)::Action|Drama|Sci-Fi|Thriller\n"},
        {"tags.dat",
         "15::122::excellent!::1215184630\n"
         "20::185::time travel::1188263867\n"},
    };
}

// ml-100k: tab-separated u.data, pipe-separated u.item with 19 flags, latin-1.
inline std::string ml100kItem(int id, const std::string& title, std::initializer_list<int> flags) {
    std::string line =
        std::to_string(id) + "|" + title + "|01-Jan-1995||http://us.imdb.com/M/title-exact?x";
    for (int g = 0; g < 19; ++g)
        line += std::find(flags.begin(), flags.end(), g) != flags.end() ? "|1" : "|0";
    return line + "\n";
}

inline Files ml100kRelease() {
    return {
        {"u.data",
         "196\t242\t3\t881250949\n"
         "186\t302\t3\t891717742\n"
         "22\t242\t1\t878887116\n"
         "196\t377\t4\t891628467\n"},
        {"u.item", ml100kItem(242, "Kolya (1996)", {5}) +
                       ml100kItem(302, "L.A. Confidential (1997)", {6, 10, 13, 16}) +
                       ml100kItem(377, "Caf\xE9 au lait (1993)", {4, 5}) +
                       ml100kItem(999, "unknown", {0})},
        {"u.genre",
         "unknown|0\nAction|1\nAdventure|2\nAnimation|3\nChildren's|4\nComedy|5\nCrime|"
         "6\nDocumentary|7\n"
         "Drama|8\nFantasy|9\nFilm-Noir|10\nHorror|11\nMusical|12\nMystery|13\nRomance|14\nSci-Fi|"
         "15\n"
         "Thriller|16\nWar|17\nWestern|18\n\n"},
        // user id|age|gender|occupation|zip; user 5 rated nothing (not in the dataset).
        {"u.user",
         "22|25|M|writer|40206\n"
         "186|39|F|executive|00000\n"
         "196|49|M|writer|55105\n"
         "5|33|F|other|15213\n"},
    };
}

// A larger ml-1m release with a user file, for segment tests: `users` users (ids 1..users)
// rating 8 to 19 of 40 movies (a fixed pseudo-random pattern), and users.dat with gender F for
// ids divisible by 3 (else M), age code kAgeCodes[id % 7], occupation code (id * 5) % 21 for
// ids below 40 and 12 (programmer) above. Users in `unlisted` are left out of users.dat.
inline constexpr int kFixtureAgeCodes[7] = {1, 18, 25, 35, 45, 50, 56};
inline Files ml1mDemographicRelease(int users, const std::vector<int>& unlisted = {}) {
    std::string ratings, movies, usersDat;
    std::uint32_t state = 12345;
    auto next = [&state] {
        state = state * 1103515245u + 12345u;
        return (state >> 16) & 0x7fff;
    };
    for (int u = 1; u <= users; ++u) {
        const int count = 8 + static_cast<int>(next() % 12);
        const int start = static_cast<int>(next() % 40);
        for (int k = 0; k < count; ++k) {
            const int movie = 1 + (start + k * 3) % 40;
            const int stars = 1 + static_cast<int>((next() + static_cast<unsigned>(movie)) % 5);
            ratings += std::to_string(u) + "::" + std::to_string(movie) +
                       "::" + std::to_string(stars) +
                       "::" + std::to_string(978300000 + u * 100 + k) + "\n";
        }
        if (std::find(unlisted.begin(), unlisted.end(), u) != unlisted.end()) continue;
        usersDat += std::to_string(u) + "::" + (u % 3 == 0 ? "F" : "M") +
                    "::" + std::to_string(kFixtureAgeCodes[u % 7]) +
                    "::" + std::to_string(u < 40 ? (u * 5) % 21 : 12) + "::12345\n";
    }
    for (int m = 1; m <= 40; ++m)
        movies += std::to_string(m) + "::Movie " + std::to_string(m) +
                  " (1995)::" + (m % 2 ? "Drama" : "Comedy|Romance") + "\n";
    return {{"ratings.dat", ratings}, {"movies.dat", movies}, {"users.dat", usersDat}};
}

inline void writeFiles(const QString& dir, const Files& files) {
    QDir().mkpath(dir);
    for (const auto& [name, content] : files) {
        QFile f(QDir(dir).filePath(QString::fromStdString(name)));
        QVERIFY2(f.open(QIODevice::WriteOnly), qPrintable(f.fileName()));
        f.write(content.data(), static_cast<qint64>(content.size()));
    }
}

// The release as a .zip with one top folder, like the GroupLens downloads.
inline void writeZip(const QString& zipPath, const std::string& topFolder, const Files& files,
                     ZipCompression compression = ZipCompression::Deflate) {
    std::vector<ZipEntryData> entries;
    for (const auto& [name, content] : files) entries.push_back({topFolder + "/" + name, content});
    writeZipFile(zipPath.toStdString(), entries, compression);
}

}  // namespace lens::test
