#include "diag/logs/journal_entry.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <limits>
#include <utility>

#include <nlohmann/json.hpp>

namespace diag::logs {

namespace {

// systemd's JOURNAL_FIELD_NAME_MAX (src/libsystemd/sd-journal/journal-file.h).
constexpr std::size_t kMaxFieldNameBytes = 64;

// A binary field bigger than this is taken for damage rather than read on: journald caps an
// entry far below it (DATA_SIZE_MAX and journald's LineMax), and a size read from garbage
// would otherwise swallow the rest of the file.
constexpr std::uint64_t kMaxBinaryFieldBytes = std::uint64_t{64} << 20U;

std::optional<std::uint64_t> decimal(std::string_view text) {
    std::uint64_t value = 0;
    const char* end = text.data() + text.size();
    const auto [ptr, ec] = std::from_chars(text.data(), end, value);
    if (text.empty() || ec != std::errc{} || ptr != end) {
        return std::nullopt;
    }
    return value;
}

const std::string* find(const JournalFields& fields, std::string_view name) {
    for (const auto& field : fields) {
        if (field.name == name) {
            return &field.value;
        }
    }
    return nullptr;
}

void keep_field(const JournalFields& fields, std::string_view name, std::string_view as,
                LogRecord& record) {
    if (const auto* value = find(fields, name); value != nullptr && !value->empty()) {
        record.fields.push_back({std::string(as), *value});
    }
}

}  // namespace

bool is_journal_field_name(std::string_view name) {
    if (name.empty() || name.size() > kMaxFieldNameBytes || (name[0] >= '0' && name[0] <= '9')) {
        return false;
    }
    return std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    });
}

LogRecord record_from_journal(const JournalFields& fields) {
    LogRecord record;
    if (const auto* realtime = find(fields, "__REALTIME_TIMESTAMP")) {
        if (const auto micros = decimal(*realtime)) {
            record.time = UtcTime{std::chrono::microseconds{static_cast<std::int64_t>(*micros)}};
            record.time_confidence = TimeConfidence::exact;
            record.stamp = *realtime;
        }
    }
    const auto* transport = find(fields, "_TRANSPORT");
    const bool kernel = transport != nullptr && *transport == "kernel";
    if (kernel) {
        const auto* source = find(fields, "_SOURCE_MONOTONIC_TIMESTAMP");
        const auto* monotonic = find(fields, "__MONOTONIC_TIMESTAMP");
        auto micros = source != nullptr ? decimal(*source) : std::nullopt;
        if (!micros && monotonic != nullptr) {
            micros = decimal(*monotonic);
        }
        if (micros) {
            record.monotonic_seconds = static_cast<double>(*micros) / 1e6;
        }
    }
    if (const auto* priority = find(fields, "PRIORITY")) {
        if (const auto value = decimal(*priority)) {
            record.level = level_from_severity(static_cast<unsigned>(std::min<std::uint64_t>(
                *value, std::uint64_t{std::numeric_limits<unsigned>::max()})));
        }
    }
    const auto* identifier = find(fields, "SYSLOG_IDENTIFIER");
    const auto* comm = find(fields, "_COMM");
    if (kernel) {
        record.program = "kernel";
    } else if (identifier != nullptr && !identifier->empty()) {
        record.program = *identifier;
    } else if (comm != nullptr) {
        record.program = *comm;
    }
    for (const auto* name : {"_PID", "SYSLOG_PID"}) {
        if (const auto* pid = find(fields, name); pid != nullptr && !record.pid) {
            if (const auto value = decimal(*pid); value && *value <= 0x7fffffffU) {
                record.pid = static_cast<std::int64_t>(*value);
            }
        }
    }
    if (const auto* host = find(fields, "_HOSTNAME")) {
        record.host = *host;
    }
    if (const auto* message = find(fields, "MESSAGE")) {
        record.message = *message;
        // journald keeps a trailing newline that a program wrote; the record does not need it.
        while (!record.message.empty() &&
               (record.message.back() == '\n' || record.message.back() == '\r')) {
            record.message.pop_back();
        }
    }
    keep_field(fields, "_BOOT_ID", "boot_id", record);
    keep_field(fields, "_SYSTEMD_UNIT", "unit", record);
    keep_field(fields, "_COMM", "comm", record);
    keep_field(fields, "_TRANSPORT", "transport", record);
    keep_field(fields, "SYSLOG_FACILITY", "facility", record);
    if (identifier != nullptr && kernel) {
        keep_field(fields, "SYSLOG_IDENTIFIER", "identifier", record);
    }
    return record;
}

namespace {

// A JSON value of the journal format as bytes: a string, or an array of byte values.
std::optional<std::string> json_bytes(const nlohmann::json& value) {
    if (value.is_string()) {
        return value.get<std::string>();
    }
    if (!value.is_array()) {
        return std::nullopt;
    }
    std::string bytes;
    bytes.reserve(value.size());
    for (const auto& item : value) {
        if (!item.is_number_unsigned() || item.get<std::uint64_t>() > 255) {
            return std::nullopt;
        }
        bytes += static_cast<char>(item.get<std::uint64_t>());
    }
    return bytes;
}

}  // namespace

std::optional<JournalFields> parse_journal_json(std::string_view line) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) {
        line.remove_suffix(1);
    }
    if (!line.starts_with('{')) {
        return std::nullopt;
    }
    const auto object = nlohmann::json::parse(line, nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
        return std::nullopt;
    }
    JournalFields fields;
    for (const auto& [name, value] : object.items()) {
        if (!is_journal_field_name(name) || value.is_null()) {
            continue;
        }
        // A field given several times is an array of values (strings or byte arrays); a byte
        // array is an array of numbers. The first value is kept.
        const bool several = value.is_array() && !value.empty() && !value.front().is_number();
        if (auto bytes = json_bytes(several ? value.front() : value)) {
            fields.push_back({name, std::move(*bytes)});
        }
    }
    if (find(fields, "__REALTIME_TIMESTAMP") == nullptr && find(fields, "MESSAGE") == nullptr) {
        return std::nullopt;
    }
    return fields;
}

std::optional<ParsedLine> parse_journal_json_line(std::string_view line) {
    auto fields = parse_journal_json(line);
    if (!fields) {
        return std::nullopt;
    }
    ParsedLine parsed;
    parsed.record = record_from_journal(*fields);
    parsed.record.format = LogFormat::journal_json;
    return parsed;
}

bool is_journal_export_line(std::string_view line) {
    const auto equals = line.find('=');
    return is_journal_field_name(equals == std::string_view::npos ? line : line.substr(0, equals));
}

JournalExportDecoder::JournalExportDecoder(std::string source, Sink sink)
    : source_(std::move(source)), sink_(std::move(sink)) {}

void JournalExportDecoder::end_field() {
    ++stats_.lines;
    const std::size_t size = name_.size() + value_.size();
    if (entry_bytes_ + size > kMaxEntryBytes) {
        stats_.dropped_bytes += size;
    } else {
        entry_bytes_ += size;
        fields_.push_back({std::move(name_), std::move(value_)});
    }
    name_.clear();
    value_.clear();
}

void JournalExportDecoder::end_entry() {
    if (!fields_.empty()) {
        LogRecord record = record_from_journal(fields_);
        record.format = LogFormat::journal_export;
        record.source = source_;
        record.line_number = entry_line_;
        record.byte_offset = entry_offset_;
        ++stats_.records;
        sink_(std::move(record));
    }
    fields_.clear();
    entry_bytes_ = 0;
}

void JournalExportDecoder::feed_name(std::string_view& bytes) {
    if (name_.empty() && fields_.empty()) {
        entry_line_ = line_;
        entry_offset_ = offset_;
    }
    const char c = bytes.front();
    bytes.remove_prefix(1);
    ++offset_;
    if (c == '\n') {
        ++line_;
        if (name_.empty()) {
            end_entry();
        } else if (is_journal_field_name(name_)) {
            size_bytes_.clear();
            state_ = State::binary_size;
        } else {
            // The newline just read may be the one before the entry's empty line.
            ++stats_.unparsed_lines;
            fields_.clear();
            name_ = "\n";
            state_ = State::skip;
        }
    } else if (c == '=') {
        if (is_journal_field_name(name_)) {
            state_ = State::text_value;
        } else {
            ++stats_.unparsed_lines;
            fields_.clear();
            name_.clear();
            state_ = State::skip;
        }
    } else if (name_.size() > kMaxFieldNameBytes) {
        ++stats_.unparsed_lines;
        fields_.clear();
        name_.clear();
        state_ = State::skip;
    } else {
        name_ += c;
    }
}

void JournalExportDecoder::feed_text_value(std::string_view& bytes) {
    const auto* end = static_cast<const char*>(std::memchr(bytes.data(), '\n', bytes.size()));
    const std::size_t take =
        end == nullptr ? bytes.size() : static_cast<std::size_t>(end - bytes.data());
    const std::size_t room = value_.size() < kMaxValueBytes ? kMaxValueBytes - value_.size() : 0;
    value_.append(bytes.data(), std::min(room, take));
    stats_.dropped_bytes += take - std::min(room, take);
    bytes.remove_prefix(take);
    offset_ += take;
    if (end != nullptr) {
        bytes.remove_prefix(1);
        ++offset_;
        ++line_;
        end_field();
        state_ = State::name;
    }
}

void JournalExportDecoder::feed_binary_size(std::string_view& bytes) {
    const std::size_t take = std::min(bytes.size(), 8 - size_bytes_.size());
    size_bytes_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    offset_ += take;
    if (size_bytes_.size() == 8) {
        binary_left_ = 0;
        for (std::size_t i = 8; i-- > 0;) {
            binary_left_ = (binary_left_ << 8U) | static_cast<unsigned char>(size_bytes_[i]);
        }
        if (binary_left_ > kMaxBinaryFieldBytes) {
            ++stats_.unparsed_lines;
            fields_.clear();
            name_.clear();
            state_ = State::skip;
        } else {
            state_ = binary_left_ == 0 ? State::binary_end : State::binary_value;
        }
    }
}

void JournalExportDecoder::feed_binary_value(std::string_view& bytes) {
    const std::size_t take =
        static_cast<std::size_t>(std::min<std::uint64_t>(binary_left_, bytes.size()));
    const std::size_t room = value_.size() < kMaxValueBytes ? kMaxValueBytes - value_.size() : 0;
    const auto piece = bytes.substr(0, take);
    value_.append(piece.substr(0, std::min(room, take)));
    stats_.dropped_bytes += take - std::min(room, take);
    line_ += static_cast<std::uint64_t>(std::count(piece.begin(), piece.end(), '\n'));
    bytes.remove_prefix(take);
    offset_ += take;
    binary_left_ -= take;
    if (binary_left_ == 0) {
        state_ = State::binary_end;
    }
}

void JournalExportDecoder::feed_binary_end(std::string_view& bytes) {
    const char c = bytes.front();
    bytes.remove_prefix(1);
    ++offset_;
    if (c == '\n') {
        ++line_;
        end_field();
        state_ = State::name;
    } else {
        ++stats_.unparsed_lines;
        fields_.clear();
        name_.clear();
        value_.clear();
        state_ = State::skip;
    }
}

void JournalExportDecoder::feed_skip(std::string_view& bytes) {
    // Damage: read on to the empty line that ends the entry.
    const char c = bytes.front();
    bytes.remove_prefix(1);
    ++offset_;
    if (c == '\n') {
        ++line_;
        if (name_ == "\n") {
            name_.clear();
            value_.clear();
            state_ = State::name;
        } else {
            name_ = "\n";
        }
    } else {
        name_.clear();
    }
}

void JournalExportDecoder::feed(std::string_view bytes) {
    while (!bytes.empty()) {
        switch (state_) {
            case State::name:
                feed_name(bytes);
                break;
            case State::text_value:
                feed_text_value(bytes);
                break;
            case State::binary_size:
                feed_binary_size(bytes);
                break;
            case State::binary_value:
                feed_binary_value(bytes);
                break;
            case State::binary_end:
                feed_binary_end(bytes);
                break;
            case State::skip:
                feed_skip(bytes);
                break;
        }
    }
}

void JournalExportDecoder::finish() {
    if (state_ == State::text_value) {
        end_field();
    } else if (state_ == State::skip) {
        name_.clear();
    } else if (state_ != State::name || !name_.empty()) {
        // Cut inside a field: what the entry had before it is still given.
        ++stats_.unparsed_lines;
        name_.clear();
        value_.clear();
    }
    state_ = State::name;
    end_entry();
}

}  // namespace diag::logs
