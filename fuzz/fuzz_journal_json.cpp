// Fuzzes parse_journal_json and record_from_journal on lines of `journalctl -o json`.
// Invariants: every field kept has a valid journal field name; the record's message is the
// MESSAGE field's bytes less trailing newlines; a time comes only from a realtime stamp and is
// exact; a line parses the same twice; a kernel entry is the kernel's program.

#include "fuzz_check.hpp"

#include <diag/logs/journal_entry.hpp>

namespace {

using diag::fuzz::require;

const std::string* field(const diag::logs::JournalFields& fields, std::string_view name) {
    for (const auto& item : fields) {
        if (item.name == name) {
            return &item.value;
        }
    }
    return nullptr;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    const auto line = text.substr(0, text.find('\n'));
    const auto fields = diag::logs::parse_journal_json(line);
    const auto parsed = diag::logs::parse_journal_json_line(line);
    require(fields.has_value() == parsed.has_value(), "the line parser agrees with the decoder");
    if (!fields) {
        return 0;
    }
    for (const auto& item : *fields) {
        require(diag::logs::is_journal_field_name(item.name), "a kept field has a valid name");
    }
    const auto& record = parsed->record;
    require(record.format == diag::logs::LogFormat::journal_json, "the record is journal JSON");
    if (const auto* message = field(*fields, "MESSAGE")) {
        require(message->starts_with(record.message), "the message is MESSAGE's bytes");
        require(message->find_first_not_of("\r\n", record.message.size()) == std::string::npos,
                "only trailing newlines are dropped from MESSAGE");
    } else {
        require(record.message.empty(), "no MESSAGE, no message");
    }
    require(!record.time || field(*fields, "__REALTIME_TIMESTAMP") != nullptr,
            "a time comes only from __REALTIME_TIMESTAMP");
    require(
        record.time.has_value() == (record.time_confidence == diag::logs::TimeConfidence::exact),
        "a journal time is exact");
    const auto* transport = field(*fields, "_TRANSPORT");
    if (transport != nullptr && *transport == "kernel") {
        require(record.program == "kernel", "a kernel entry is the kernel's");
    } else {
        require(!record.monotonic_seconds, "only kernel entries carry seconds since boot");
    }
    const auto again = diag::logs::parse_journal_json(line);
    require(again.has_value() && again->size() == fields->size(), "a line parses the same twice");
    return 0;
}
