// libFuzzer target: the .npy reader (io/NpyFormat.h parseNpy) that `import --from implicit-npz`
// runs on every array of an .npz, and the element conversions applied to what it accepts.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "io/NpyFormat.h"
#include "util/Errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const lens::NpyArray array = lens::parseNpy(
            std::string_view(reinterpret_cast<const char*>(data), size), "x", "fuzz.npz");
        (void)lens::npyAsDoubles(array, "fuzz.npz");
        (void)lens::npyAsInt64s(array, "fuzz.npz");
    } catch (const lens::DataError&) {
    }
    return 0;
}
