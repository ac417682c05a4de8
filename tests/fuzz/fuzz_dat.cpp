// libFuzzer target: the "::" files of ml-1m / ml-10m (latin-1). The first byte chooses the
// file the rest replaces: ratings.dat, movies.dat, tags.dat or users.dat
// (UserID::Gender::Age::Occupation::Zip-code).
#include "LoaderFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const kFiles[] = {"ratings.dat", "movies.dat", "tags.dat", "users.dat"};
    lens::fuzz::loadWithFile(lens::fuzz::datRelease(), kFiles[data[0] % 4], data + 1, size - 1);
    return 0;
}
