// libFuzzer target: the persona file reader (PersonaStore::parse: the shipped presets and the
// user's personas file). The bytes are a whole document. A DataError naming the file is the
// expected outcome of bad bytes; a document that parses must round-trip through serialize and
// resolve against a small release (see OwnFileFuzzing.h).
#include <cstddef>
#include <cstdint>

#include "FuzzFixtures.h"
#include "OwnFileFuzzing.h"
#include "io/DatasetLoader.h"

namespace {
const lens::Dataset* release = nullptr;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    lens::LoadOptions options;
    options.threads = 1;
    static const lens::Dataset dataset =
        lens::loadDatasetFromMemory(lens::fuzz::csvRelease(), "fuzz", options);
    release = &dataset;
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const QByteArray bytes(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    (void)lens::fuzz::checkPersonaDocument(bytes, release);
    return 0;
}
