#pragma once
// Small valid MovieLens files for the fuzz targets (the same shapes as
// tests/engine/LoaderFixtures.h, without Qt): a target replaces one file of a release with the
// fuzzer's bytes and keeps the others valid, so the fuzzer's bytes reach the reader under test
// instead of failing layout detection or a missing ratings file.
#include <map>
#include <string>

namespace lens::fuzz {

using Files = std::map<std::string, std::string>;

inline Files csvRelease() {
    return {
        {"ratings.csv",
         "userId,movieId,rating,timestamp\n1,10,4.0,964982703\n1,20,3.5,964981247\n"
         "2,10,5.0,964982224\n2,30,0.5,964983815\n3,20,2.0,964982931\n"},
        {"movies.csv",
         "movieId,title,genres\n10,\"American President, The (1995)\",Comedy|Drama|Romance\n"
         "20,\"11'09\"\"01 - September 11 (2002)\",Drama\n"
         "30,Pok\xC3\xA9mon 3: The Movie (2001),Animation|Children|IMAX\n"
         "40,Unreleased Thing,(no genres listed)\n"},
        {"tags.csv",
         "userId,movieId,tag,timestamp\n1,10,\"funny, clever\",1445714994\n"
         "2,20,documentary,1445714996\n4,30,anime,1445715000\n"},
        {"links.csv",
         "movieId,imdbId,tmdbId\n10,0112346,9087\n20,0328802,\n30,0235679,10991\n"
         "40,0000001,1\n"},
    };
}

inline Files datRelease() {  // ml-10m shape: "::", half stars, tags.dat, latin-1
    return {
        {"ratings.dat",
         "1::122::5::838985046\n1::185::4.5::838983525\n2::122::3.5::838983392\n"
         "3::292::0.5::838983421\n"},
        {"movies.dat",
         "122::Boomerang (1992)::Comedy|Romance\n185::Net, The (1995)::Action|Crime|Thriller\n"
         "292::Pok\xE9mon: The First Movie (1998)::Animation|Children's\n"},
        {"tags.dat", "15::122::excellent!::1215184630\n20::185::time travel::1188263867\n"},
        {"users.dat", "1::F::1::10::48067\n2::M::56::16::70072\n3::M::25::15::55117\n"},
    };
}

inline std::string ml100kItem(int id, const std::string& title, unsigned flags) {
    std::string line =
        std::to_string(id) + "|" + title + "|01-Jan-1995||http://us.imdb.com/M/title-exact?x";
    for (int g = 0; g < 19; ++g) line += (flags >> g) & 1U ? "|1" : "|0";
    return line + "\n";
}

inline Files ml100kRelease() {
    return {
        {"u.data", "196\t242\t3\t881250949\n186\t302\t3\t891717742\n22\t242\t1\t878887116\n"},
        {"u.item", ml100kItem(242, "Kolya (1996)", 1U << 5) +
                       ml100kItem(302, "Caf\xE9 au lait (1993)", (1U << 4) | (1U << 5))},
        {"u.genre",
         "unknown|0\nAction|1\nAdventure|2\nAnimation|3\nChildren's|4\nComedy|5\nCrime|6\n"
         "Documentary|7\nDrama|8\nFantasy|9\nFilm-Noir|10\nHorror|11\nMusical|12\nMystery|13\n"
         "Romance|14\nSci-Fi|15\nThriller|16\nWar|17\nWestern|18\n"},
        {"u.user", "22|25|M|writer|40206\n186|39|F|executive|00000\n196|49|M|writer|55105\n"},
    };
}

}  // namespace lens::fuzz
