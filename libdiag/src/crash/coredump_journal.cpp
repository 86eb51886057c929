#include "diag/crash/coredump_journal.hpp"

#include "diag/core/deadline.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <expected>
#include <memory>

#include <fmt/format.h>

#include <systemd/sd-journal.h>

namespace diag::crash {

namespace {

template <class T>
std::optional<T> field_number(const std::map<std::string, std::string>& fields,
                              const std::string& name) {
    const auto at = fields.find(name);
    if (at == fields.end()) {
        return std::nullopt;
    }
    T value{};
    const auto& text = at->second;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error != std::errc{} || end != text.data() + text.size()) {
        return std::nullopt;
    }
    return value;
}

std::string field_text(const std::map<std::string, std::string>& fields, const std::string& name) {
    const auto at = fields.find(name);
    return at == fields.end() ? std::string{} : at->second;
}

struct JournalCloser {
    void operator()(sd_journal* journal) const { sd_journal_close(journal); }
};

// The fields diag-core uses; the rest (COREDUMP itself can be megabytes with Storage=journal)
// is never copied. TODO(#6): a core kept inside the journal (Storage=journal, the COREDUMP
// field) is not extracted for unwinding yet.
constexpr std::array<std::string_view, 7> kWantedFields{
    "COREDUMP_PID",  "COREDUMP_UID",       "COREDUMP_SIGNAL",  "COREDUMP_EXE",
    "COREDUMP_COMM", "COREDUMP_TIMESTAMP", "COREDUMP_FILENAME"};

std::map<std::string, std::string> entry_fields(sd_journal* journal) {
    std::map<std::string, std::string> fields;
    for (const auto name : kWantedFields) {
        const void* data = nullptr;
        std::size_t length = 0;
        const std::string key(name);
        if (sd_journal_get_data(journal, key.c_str(), &data, &length) < 0) {
            continue;
        }
        // "NAME=value" as bytes (sd_journal_get_data(3)).
        const std::string_view item(static_cast<const char*>(data), length);
        if (item.size() > key.size() && item[key.size()] == '=') {
            fields.emplace(key, std::string(item.substr(key.size() + 1)));
        }
    }
    return fields;
}

std::expected<std::vector<FoundCore>, std::string> read_entries(int root_fd) {
    sd_journal* opened = nullptr;
    if (const int error = sd_journal_open_directory_fd(&opened, root_fd, SD_JOURNAL_OS_ROOT);
        error < 0) {
        return std::unexpected(
            fmt::format("sd_journal_open_directory_fd: {}", std::strerror(-error)));
    }
    std::unique_ptr<sd_journal, JournalCloser> journal(opened);
    const auto match = fmt::format("MESSAGE_ID={}", kCoredumpMessageId);
    if (const int error = sd_journal_add_match(journal.get(), match.data(), match.size());
        error < 0) {
        return std::unexpected(fmt::format("sd_journal_add_match: {}", std::strerror(-error)));
    }
    std::vector<FoundCore> cores;
    while (true) {
        const int next = sd_journal_next(journal.get());
        if (next < 0) {
            return std::unexpected(fmt::format("sd_journal_next: {}", std::strerror(-next)));
        }
        if (next == 0) {
            break;
        }
        cores.push_back(core_from_journal_fields(entry_fields(journal.get())));
    }
    return cores;
}

}  // namespace

FoundCore core_from_journal_fields(const std::map<std::string, std::string>& fields) {
    FoundCore core;
    core.store = CoreStore::systemd_coredump;
    core.pid = field_number<int>(fields, "COREDUMP_PID");
    core.uid = field_number<unsigned>(fields, "COREDUMP_UID");
    core.signal = field_number<int>(fields, "COREDUMP_SIGNAL");
    core.executable = field_text(fields, "COREDUMP_EXE");
    if (core.executable.empty()) {
        core.executable = field_text(fields, "COREDUMP_COMM");
    }
    if (const auto usec = field_number<std::int64_t>(fields, "COREDUMP_TIMESTAMP")) {
        core.time = std::chrono::system_clock::time_point(std::chrono::microseconds(*usec));
    }
    core.path = field_text(fields, "COREDUMP_FILENAME");
    core.core_present = !core.path.empty();
    for (const auto suffix : {".zst", ".lz4", ".xz"}) {
        if (core.path.ends_with(suffix)) {
            core.compression = std::string(suffix + 1);
        }
    }
    return core;
}

Collected<std::vector<FoundCore>> read_coredump_journal(const Root& root,
                                                        std::chrono::milliseconds deadline) {
    Collected<std::vector<FoundCore>> result;
    if (!root.exists("/var/log/journal") && !root.exists("/run/log/journal")) {
        return result;
    }
    auto root_fd = root.open_directory("/");
    if (!root_fd) {
        result.add_issue(root_fd.error());
        return result;
    }
    auto shared_fd = std::make_shared<UniqueFd>(std::move(*root_fd));
    auto entries =
        run_with_deadline([shared_fd] { return read_entries(shared_fd->get()); }, deadline);
    if (!entries) {
        result.add_issue(
            {IssueLevel::error, "read", "journal",
             fmt::format("systemd-coredump entries: no answer within {} ms", deadline.count()),
             ""});
    } else if (!*entries) {
        result.add_issue({IssueLevel::error, "read", "journal", entries->error(), ""});
    } else {
        result.data = std::move(**entries);
    }
    return result;
}

void merge_journal_cores(std::vector<FoundCore>& cores, const std::vector<FoundCore>& journal) {
    for (const auto& entry : journal) {
        FoundCore* stored = nullptr;
        for (auto& core : cores) {
            if (!entry.path.empty() && core.path == entry.path) {
                stored = &core;
            }
        }
        if (stored == nullptr) {
            auto gone = entry;
            gone.core_present = false;
            cores.push_back(std::move(gone));
            continue;
        }
        stored->signal = entry.signal ? entry.signal : stored->signal;
        stored->uid = entry.uid ? entry.uid : stored->uid;
        stored->time = entry.time ? entry.time : stored->time;
        if (!entry.executable.empty()) {
            stored->executable = entry.executable;
        }
    }
}

}  // namespace diag::crash
