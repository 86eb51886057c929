#include "diag/tui/timeline_data.hpp"

#include <algorithm>
#include <cctype>

namespace diag::tui {

namespace {

Tone tone_of_severity(Severity severity) {
    switch (severity) {
        case Severity::critical:
            return Tone::error;
        case Severity::warning:
            return Tone::warning;
        case Severity::info:
            return Tone::info;
        case Severity::ok:
            return Tone::plain;
    }
    return Tone::plain;
}

Tone tone_of_level(logs::LogLevel level) {
    // LogLevel is ordered most severe first.
    if (level <= logs::LogLevel::error) {
        return Tone::error;
    }
    if (level == logs::LogLevel::warning) {
        return Tone::warning;
    }
    if (level <= logs::LogLevel::info) {
        return Tone::info;
    }
    return Tone::plain;
}

bool contains_folded(std::string_view text, std::string_view needle) {
    const auto it =
        std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) ==
                   std::tolower(static_cast<unsigned char>(b));
        });
    return it != text.end();
}

// Walks from `from` (exclusive) in one direction and returns the first index `wanted` accepts.
template <class Wanted>
std::optional<std::size_t> walk(std::size_t size, std::size_t from, bool forwards, Wanted wanted) {
    if (forwards) {
        for (std::size_t i = from + 1; i < size; ++i) {
            if (wanted(i)) {
                return i;
            }
        }
        return std::nullopt;
    }
    for (std::size_t i = std::min(from, size); i > 0; --i) {
        if (wanted(i - 1)) {
            return i - 1;
        }
    }
    return std::nullopt;
}

}  // namespace

Tone tone_of(const logs::TimelineEntry& entry, const std::vector<logs::Rule>& rules) {
    Tone tone = Tone::plain;
    if (const auto severity = logs::entry_severity(entry, rules)) {
        tone = tone_of_severity(*severity);
    }
    if (entry.record.level) {
        tone = std::max(tone, tone_of_level(*entry.record.level));
    }
    return tone;
}

std::optional<std::size_t> find_tone(const std::vector<logs::TimelineEntry>& entries,
                                     const std::vector<logs::Rule>& rules, std::size_t from,
                                     Tone tone, bool forwards) {
    return walk(entries.size(), from, forwards,
                [&](std::size_t i) { return tone_of(entries[i], rules) >= tone; });
}

std::optional<std::size_t> find_text(const std::vector<logs::TimelineEntry>& entries,
                                     std::size_t from, const std::string& needle, bool forwards) {
    if (needle.empty()) {
        return std::nullopt;
    }
    return walk(entries.size(), from, forwards, [&](std::size_t i) {
        const auto& record = entries[i].record;
        return contains_folded(record.message, needle) || contains_folded(record.program, needle) ||
               contains_folded(record.host, needle);
    });
}

std::vector<std::size_t> matching_entries(const std::vector<logs::TimelineEntry>& entries,
                                          const std::string& needle) {
    std::vector<std::size_t> found;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& record = entries[i].record;
        if (contains_folded(record.message, needle) || contains_folded(record.program, needle) ||
            contains_folded(record.host, needle)) {
            found.push_back(i);
        }
    }
    return found;
}

std::vector<std::size_t> entries_around(const std::vector<logs::TimelineEntry>& entries,
                                        std::size_t index, std::chrono::seconds window) {
    std::vector<std::size_t> around;
    if (index >= entries.size()) {
        return around;
    }
    const auto& center = entries[index].sort_time;
    if (!center) {
        // Without a time nothing can be placed around it: the entry alone.
        around.push_back(index);
        return around;
    }
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const auto& time = entries[i].sort_time;
        if (time && *time >= *center - window && *time <= *center + window) {
            around.push_back(i);
        }
    }
    return around;
}

}  // namespace diag::tui
