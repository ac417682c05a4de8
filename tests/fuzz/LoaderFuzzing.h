#pragma once
// Shared body of the loader fuzz targets: load a release whose file `name` holds the fuzzer's
// bytes, in strict and in lenient mode. A DataError is the expected outcome of bad bytes; any
// other exception escapes and libFuzzer reports it as a crash, as it does for ASan/UBSan
// findings and hangs.
#include <cstddef>
#include <cstdint>
#include <string>

#include "FuzzFixtures.h"
#include "io/DatasetLoader.h"
#include "util/Errors.h"

namespace lens::fuzz {

inline void loadWithFile(Files files, const std::string& name, const std::uint8_t* data,
                         std::size_t size) {
    files[name].assign(reinterpret_cast<const char*>(data), size);
    for (const bool lenient : {false, true}) {
        LoadOptions options;
        options.lenient = lenient;
        options.threads = 1;
        try {
            const Dataset ds = loadDatasetFromMemory(files, "fuzz", options);
            if (ds.ratingCount() == 0) __builtin_trap();  // the loader promises ratings
        } catch (const DataError&) {
        }
    }
}

}  // namespace lens::fuzz
