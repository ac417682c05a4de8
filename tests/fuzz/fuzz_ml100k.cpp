// libFuzzer target: the ml-100k files (latin-1). The first byte chooses the file the rest
// replaces: u.data (tab-separated ratings), u.item (pipe-separated, 19 genre flags) or u.genre.
#include "LoaderFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    static const char* const kFiles[] = {"u.data", "u.item", "u.genre"};
    lens::fuzz::loadWithFile(lens::fuzz::ml100kRelease(), kFiles[data[0] % 3], data + 1, size - 1);
    return 0;
}
