// libFuzzer target: the ml-100k files (latin-1). The first byte chooses the file the rest
// replaces: u.data (tab-separated ratings), u.item (pipe-separated, 19 genre flags), u.genre or
// u.user (user id | age | gender | occupation | zip code).
#include "LoaderFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const kFiles[] = {"u.data", "u.item", "u.genre", "u.user"};
    lens::fuzz::loadWithFile(lens::fuzz::ml100kRelease(), kFiles[data[0] % 4], data + 1, size - 1);
    return 0;
}
