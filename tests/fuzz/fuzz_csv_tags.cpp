// libFuzzer target: the tags.csv reader of the CSV releases (RFC 4180, UTF-8).
#include "LoaderFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    lens::fuzz::loadWithFile(lens::fuzz::csvRelease(), "tags.csv", data, size);
    return 0;
}
