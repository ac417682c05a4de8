// libFuzzer target: reading saved model files (ModelFile + every model's readPayload).
// The first byte chooses the mode: even = the rest is a whole file as on disk; odd = the rest
// is a body, wrapped here with a valid magic, version, length and CRC-32 so that mutations get
// past the checksum and reach the field parsers and every model kind's payload reader.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "models/ModelFile.h"
#include "util/Errors.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) return 0;
    std::vector<std::uint8_t> bytes;
    if (data[0] & 1U) {
        lens::ModelWriter w;
        w.raw(lens::kModelFileMagic, 8);
        w.u32(lens::kModelFileVersion);
        w.u64(size - 1);
        w.raw(data + 1, size - 1);
        w.u32(lens::crc32(w.bytes().data(), w.bytes().size()));
        bytes = std::move(w.bytes());
    } else {
        bytes.assign(data + 1, data + size);
    }
    try {
        auto model = lens::deserializeModel(bytes, "fuzz.model");
        // A model that loaded must be usable: score a user when it has users and items.
        if (model && model->userCount() > 0 && model->itemCount() > 0 &&
            model->status() != lens::FitStatus::Untrained)
            (void)model->predict(0, 0);
    } catch (const lens::DataError&) {
    }
    return 0;
}
