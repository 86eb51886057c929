#include "diag/logs/record_reader.hpp"

#include <cmath>
#include <utility>

namespace diag::logs {

RecordReader::RecordReader(ReaderSettings settings, Sink sink)
    : settings_(std::move(settings)), sink_(std::move(sink)) {}

void RecordReader::add_line(const SplitLine& line) {
    ++stats_.lines;
    stats_.dropped_bytes += line.dropped_bytes;
    if (line.text.empty()) {
        return;
    }
    // /dev/kmsg continuation lines " KEY=value" describe the record before them.
    if (settings_.format == LogFormat::kmsg && line.text.front() == ' ' && pending_) {
        const auto text = line.text.substr(1);
        const auto equals = text.find('=');
        if (equals != std::string_view::npos) {
            pending_->fields.push_back(
                {std::string(text.substr(0, equals)), std::string(text.substr(equals + 1))});
            ++stats_.continuation_lines;
            return;
        }
    }
    auto parsed = parse_line(settings_.format, line.text);
    if (parsed && settings_.format != LogFormat::plain) {
        start_record(std::move(*parsed), line);
        return;
    }
    if (pending_ && settings_.format != LogFormat::plain) {
        ++stats_.continuation_lines;
        auto& message = pending_->message;
        const std::size_t room =
            message.size() < kMaxRecordBytes ? kMaxRecordBytes - message.size() : 0;
        if (room > 1) {
            const std::size_t kept = std::min(room - 1, line.text.size());
            message += '\n';
            message.append(line.text.substr(0, kept));
            stats_.dropped_bytes += line.text.size() - kept;
            pending_->dropped_bytes += line.text.size() - kept;
        } else {
            stats_.dropped_bytes += line.text.size();
            pending_->dropped_bytes += line.text.size();
        }
        return;
    }
    if (settings_.format != LogFormat::plain) {
        ++stats_.unparsed_lines;
    }
    ParsedLine plain;
    plain.record.message.assign(line.text);
    start_record(std::move(plain), line);
}

void RecordReader::add_screened_line(const SplitLine& line, std::vector<std::uint32_t> hints) {
    if (!hints.empty()) {
        next_hints_ = std::move(hints);
        add_line(line);
        next_hints_.clear();
        return;
    }
    if (pending_ && pending_wanted_) {
        // The line may continue the wanted record; if it starts one, that one is not wanted.
        next_wanted_ = false;
        add_line(line);
        next_wanted_ = true;
        return;
    }
    ++stats_.lines;
    ++stats_.screened_out_lines;
    stats_.dropped_bytes += line.dropped_bytes;
}

void RecordReader::skip_screened_lines(std::uint64_t count) {
    stats_.lines += count;
    stats_.screened_out_lines += count;
}

void RecordReader::finish() {
    flush();
}

void RecordReader::start_record(ParsedLine&& parsed, const SplitLine& line) {
    flush();
    LogRecord record = std::move(parsed.record);
    record.source = settings_.source;
    record.line_number = line.line_number;
    record.byte_offset = line.byte_offset;
    record.dropped_bytes = line.dropped_bytes;
    normalise_time(record, parsed.civil);
    record.rule_hints = next_hints_;
    pending_ = std::move(record);
    pending_wanted_ = next_wanted_;
}

void RecordReader::flush() {
    if (pending_) {
        ++stats_.records;
        if (pending_wanted_) {
            sink_(std::move(*pending_));
        }
        pending_.reset();
    }
}

std::optional<int> RecordReader::year_for(const CivilTime& civil) {
    if (settings_.forced_year) {
        // Under --year the first record gets that year and each rollover (December back to
        // January, seen as the month going back by more than half a year) adds one.
        constexpr unsigned kHalfYear = 6;
        if (!last_year_) {
            last_year_ = settings_.forced_year;
        } else if (civil.month + kHalfYear < last_month_) {
            ++*last_year_;
        }
        last_month_ = civil.month;
        return last_year_;
    }
    if (!settings_.modified) {
        return std::nullopt;
    }
    // Every record was written before the file was last modified: a stamp later in the year
    // than the modification (with a day of slack for zones and clock steps) belongs to the
    // year before, as a December record in a file modified in January does.
    const CivilTime reference = settings_.zone.to_civil(*settings_.modified);
    const int year = reference.year.value_or(1970);
    const bool later_in_year = civil.month > reference.month ||
                               (civil.month == reference.month && civil.day > reference.day + 1);
    return later_in_year ? year - 1 : year;
}

void RecordReader::normalise_time(LogRecord& record, const std::optional<CivilTime>& civil) {
    if (record.time) {
        // The journal's formats carry UTC microseconds: the parser has set the time already.
        return;
    }
    if (!civil) {
        if (record.monotonic_seconds && settings_.boot_time) {
            const auto since_boot =
                std::chrono::microseconds{std::llround(*record.monotonic_seconds * 1e6)};
            record.time = *settings_.boot_time + since_boot;
            record.time_confidence = TimeConfidence::boot_relative;
        }
        return;
    }
    CivilTime stamp = *civil;
    TimeConfidence confidence =
        stamp.utc_offset_seconds ? TimeConfidence::exact : TimeConfidence::zone_assumed;
    if (!stamp.year) {
        stamp.year = year_for(stamp);
        confidence =
            settings_.forced_year ? TimeConfidence::year_forced : TimeConfidence::year_inferred;
    }
    record.time = settings_.zone.to_utc(stamp);
    if (record.time) {
        record.time_confidence = confidence;
    } else {
        ++stats_.bad_stamps;
    }
}

}  // namespace diag::logs
