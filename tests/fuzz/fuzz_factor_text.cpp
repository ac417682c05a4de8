// libFuzzer target: the text factor readers of `import` (io/FactorImport.h parseFactorText):
// the first byte chooses Spark's JSON part files (odd) or id,f1..fk / Spark CSV rows (even).
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "io/FactorImport.h"
#include "util/Errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::vector<std::int64_t> ids;
    std::vector<float> values;
    std::vector<std::size_t> lines;
    std::size_t k = 0;
    try {
        lens::parseFactorText(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1),
                              (data[0] & 1U) != 0, "fuzz-part", ids, values, lines, k);
        if (values.size() != ids.size() * k || lines.size() != ids.size()) __builtin_trap();
    } catch (const lens::DataError&) {
    }
    return 0;
}
