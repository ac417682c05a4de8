// libFuzzer target: the reader of a user's own interaction file (io/InteractionReader.h) under
// random mappings, separators and header modes, with an optional items file
// (tests/fuzz/InteractionFuzzing.h says how the input is decoded).
#include <cstddef>
#include <cstdint>

#include "InteractionFuzzing.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)lens::fuzz::readFuzzInteractions(data, size);
    } catch (const lens::DataError&) {
    } catch (const lens::Cancelled&) {
        __builtin_trap();
    }
    return 0;
}
