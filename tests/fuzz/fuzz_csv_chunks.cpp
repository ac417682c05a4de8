// libFuzzer target: the parallel CSV reading of the release's small files (readCsvInChunks)
// against the serial CsvReader. The input's first record is the header; whenever the chunked
// reading gives records at all, they must be the serial reader's, and the serial reader must
// have found nothing wrong (no error, no literal quote). Runs as short as 8 bytes make the
// fuzzer's small inputs cut into many runs.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "io/CsvReader.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using Record = std::vector<std::string>;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    lens::CsvReader serial(text);
    std::vector<Record> records;
    bool sound = true;
    for (auto status = serial.next(); status != lens::CsvReader::Status::End;
         status = serial.next()) {
        if (status == lens::CsvReader::Status::Error)
            sound = false;
        else
            records.push_back(serial.fields());
    }
    sound = sound && !serial.sawLiteralQuote() && !records.empty();
    const Record header = records.empty() ? Record{} : records.front();
    const std::vector<std::string_view> columns(header.begin(), header.end());
    for (const int threads : {2, 5}) {
        const auto chunked = lens::readCsvInChunks<Record>(
            text, columns, threads,
            [&](const Record& f, Record& out) {
                out = f;
                return true;
            },
            8);
        if (!chunked) continue;
        if (!sound) __builtin_trap();  // accepted what the serial reader found wrong
        // Every record after the header, each of the header's width.
        const std::vector<Record> body(records.begin() + 1, records.end());
        for (const Record& r : body)
            if (r.size() != header.size()) __builtin_trap();
        if (*chunked != body) __builtin_trap();
    }
    return 0;
}
