// libFuzzer target: the zip container (ZipFileSource over bytes held in memory): open, list,
// read every entry (CRC and declared sizes checked), as loadDataset does with a .zip. The
// entry limit is lowered to 16 MiB so a fuzzed size field cannot exhaust the fuzzer's memory.
#include <cstddef>
#include <cstdint>
#include <string>

#include "io/ZipFileSource.h"
#include "util/Errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    lens::ZipLimits limits;
    limits.maxEntryBytes = std::uint64_t{16} << 20;
    try {
        auto zip = lens::ZipFileSource::openBytes(
            std::string(reinterpret_cast<const char*>(data), size), "fuzz.zip", limits);
        (void)zip->releaseName();
        for (const auto& name : zip->list()) {
            try {
                const lens::FileBytes file = zip->read(name);
                if (file.content.size() != zip->size(name)) __builtin_trap();
            } catch (const lens::DataError&) {
            }
        }
    } catch (const lens::DataError&) {
    }
    return 0;
}
