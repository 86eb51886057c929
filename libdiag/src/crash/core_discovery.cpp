#include "diag/crash/core_discovery.hpp"

#include "diag/core/unique_fd.hpp"
#include "diag/crash/core_file.hpp"
#include "diag/crash/coredump_journal.hpp"
#include "diag/logs/decompress.hpp"

#include <charconv>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include <unistd.h>

namespace diag::crash {

namespace {

template <class T>
std::optional<T> number(std::string_view text) {
    T value{};
    const auto* end = text.data() + text.size();
    const auto [ptr, error] = std::from_chars(text.data(), end, value);
    if (error != std::errc{} || ptr != end || text.empty()) {
        return std::nullopt;
    }
    return value;
}

std::vector<std::string_view> split(std::string_view text, char separator) {
    std::vector<std::string_view> parts;
    std::size_t start = 0;
    while (true) {
        const auto at = text.find(separator, start);
        parts.push_back(text.substr(start, at - start));
        if (at == std::string_view::npos) {
            return parts;
        }
        start = at + 1;
    }
}

std::string_view field(std::string_view text, std::string_view key) {
    for (const auto line : split(text, '\n')) {
        if (line.size() > key.size() + 1 && line.starts_with(key) && line[key.size()] == ':') {
            auto value = line.substr(key.size() + 1);
            while (!value.empty() && value.front() == ' ') {
                value.remove_prefix(1);
            }
            return value;
        }
    }
    return {};
}

void add_stat(const Root& root, FoundCore& core) {
    if (auto stat = root.stat_file(core.path)) {
        core.size_bytes = stat->size_bytes;
        if (!core.time) {
            core.time = stat->modified;
        }
    } else {
        core.core_present = false;
    }
}

// The kernel writes the notes right after the program headers, so the first 256 KiB of a
// core hold them for any process with fewer than a few thousand threads.
void fill_from_notes(const Root& root, FoundCore& core) {
    constexpr std::size_t kNotesBytes = std::size_t{256} << 10U;
    auto head = root.read_range(core.path, 0, kNotesBytes);
    if (!head) {
        return;
    }
    const auto layout = parse_core(std::as_bytes(std::span(head->data(), head->size())));
    if (layout.process) {
        core.pid = layout.process->pid;
        core.uid = layout.process->uid;
        core.executable = layout.process->name;
    }
    if (layout.signal) {
        core.signal = layout.signal->signo;
    }
}

void scan_directory(const Root& root, const std::string& directory,
                    const std::optional<std::string>& file_pattern, Collected<Discovery>& found) {
    auto names = root.list_dir(directory);
    if (!names) {
        found.add_issue(names.error(), IssueLevel::info);
        return;
    }
    for (const auto& name : *names) {
        const bool by_pattern = file_pattern && matches_core_pattern(*file_pattern, name);
        const bool plain = name == "core" || (name.starts_with("core.") &&
                                              number<int>(std::string_view(name).substr(5)));
        if (!by_pattern && !plain) {
            continue;
        }
        FoundCore core;
        core.path = fmt::format("{}{}{}", directory, directory.ends_with('/') ? "" : "/", name);
        auto head = root.read_range(core.path, 0, 64);
        if (!head || !looks_like_core(*head)) {
            continue;
        }
        if (plain && name.size() > 5) {
            core.pid = number<int>(std::string_view(name).substr(5));
        }
        fill_from_notes(root, core);
        add_stat(root, core);
        found.data.cores.push_back(std::move(core));
    }
}

void scan_systemd(const Root& root, Collected<Discovery>& found) {
    const std::string store = "/var/lib/systemd/coredump";
    if (!root.exists(store)) {
        return;
    }
    auto names = root.list_dir(store);
    if (!names) {
        found.add_issue(names.error());
        return;
    }
    for (const auto& name : *names) {
        auto core = parse_systemd_core_name(name);
        if (!core) {
            continue;
        }
        core->path = fmt::format("{}/{}", store, name);
        add_stat(root, *core);
        found.data.cores.push_back(std::move(*core));
    }
}

void scan_apport(const Root& root, Collected<Discovery>& found) {
    const std::string store = "/var/crash";
    if (!root.exists(store)) {
        return;
    }
    auto names = root.list_dir(store);
    if (!names) {
        found.add_issue(names.error());
        return;
    }
    constexpr std::size_t kHeaderBytes = 65536;
    for (const auto& name : *names) {
        if (!name.ends_with(".crash")) {
            continue;
        }
        const auto path = fmt::format("{}/{}", store, name);
        auto text = root.read_range(path, 0, kHeaderBytes);
        if (!text) {
            found.add_issue(text.error());
            continue;
        }
        auto core = parse_apport_report(*text);
        core.path = path;
        if (auto stat = root.stat_file(path)) {
            core.size_bytes = stat->size_bytes;
            core.time = core.time.value_or(stat->modified);
        }
        found.data.cores.push_back(std::move(core));
    }
}

}  // namespace

std::optional<FoundCore> parse_systemd_core_name(std::string_view name) {
    FoundCore core;
    core.store = CoreStore::systemd_coredump;
    for (const auto suffix : {".zst", ".lz4", ".xz"}) {
        if (name.ends_with(suffix)) {
            core.compression = std::string(suffix + 1);
            name.remove_suffix(std::strlen(suffix));
        }
    }
    if (!name.starts_with("core.")) {
        return std::nullopt;
    }
    auto parts = split(name.substr(5), '.');
    // The comm may hold dots; the last four fields are fixed.
    if (parts.size() < 5) {
        return std::nullopt;
    }
    const auto count = parts.size();
    const auto usec = number<std::int64_t>(parts[count - 1]);
    core.pid = number<int>(parts[count - 2]);
    core.uid = number<unsigned>(parts[count - 4]);
    if (!usec || !core.pid || !core.uid || parts[count - 3].size() != 32) {
        return std::nullopt;
    }
    core.time = std::chrono::system_clock::time_point(std::chrono::microseconds(*usec));
    std::string comm;
    for (std::size_t i = 0; i + 4 < count; ++i) {
        comm += (i == 0 ? "" : ".") + std::string(parts[i]);
    }
    // systemd escapes the comm with \xNN (xescape); kept as is.
    core.executable = comm;
    return core;
}

FoundCore parse_apport_report(std::string_view text) {
    FoundCore core;
    core.store = CoreStore::apport;
    core.executable = std::string(field(text, "ExecutablePath"));
    core.signal = number<int>(field(text, "Signal"));
    core.pid = number<int>(field(text, "Pid"));
    const auto status = field(text, "Uid");
    if (!status.empty()) {
        core.uid = number<unsigned>(split(status, ' ').front());
    }
    core.core_present = text.find("\nCoreDump:") != std::string_view::npos;
    // TODO(#6): the Date field ("Thu Jan  2 03:04:05 2025", local time) is not parsed; the
    // file's modification time stands in.
    return core;
}

bool looks_like_core(std::string_view first_bytes) {
    constexpr std::size_t kTypeOffset = 16;
    return first_bytes.size() > kTypeOffset + 1 &&
           first_bytes.starts_with(
               "\x7f"
               "ELF") &&
           first_bytes[kTypeOffset] == 4 && first_bytes[kTypeOffset + 1] == 0;
}

Collected<Discovery> discover_cores(const Root& root, const DiscoveryOptions& options) {
    Collected<Discovery> found;
    auto text = root.read_file("/proc/sys/kernel/core_pattern");
    if (!text) {
        found.add_issue(text.error());
    } else {
        found.data.pattern = parse_core_pattern(*text);
        const auto& pattern = *found.data.pattern;
        if (!pattern.is_pipe && !pattern.directory.empty()) {
            scan_directory(root, pattern.directory, pattern.file_pattern, found);
        } else if (!pattern.is_pipe && options.directories.empty()) {
            found.add_issue({IssueLevel::info, "find cores", "core_pattern",
                             fmt::format("'{}' writes cores in each crashing process's working "
                                         "directory",
                                         pattern.text),
                             "name directories to search with --dir"});
        }
    }
    for (const auto& directory : options.directories) {
        scan_directory(
            root, directory,
            found.data.pattern ? std::optional(found.data.pattern->file_pattern) : std::nullopt,
            found);
    }
    scan_systemd(root, found);
    // The journal names the signal and the executable's path, and remembers crashes whose core
    // was never kept or has been cleaned up.
    auto journal = read_coredump_journal(root, root.deadline());
    found.issues.insert(found.issues.end(), journal.issues.begin(), journal.issues.end());
    merge_journal_cores(found.data.cores, journal.data);
    scan_apport(root, found);
    return found;
}

}  // namespace diag::crash

namespace diag::crash {

ReadableCore::~ReadableCore() {
    if (temporary_) {
        ::unlink(path_.c_str());
    }
}

std::expected<ReadableCore, std::string> make_readable(const Root& root, const FoundCore& core) {
    const auto shown = root.display(core.path);
    if (core.compression.empty()) {
        return ReadableCore(root.is_live() ? core.path : shown, false);
    }
    const auto kind = core.compression == "zst"   ? logs::Compression::zstd
                      : core.compression == "xz"  ? logs::Compression::xz
                      : core.compression == "lz4" ? logs::Compression::lz4
                                                  : logs::Compression::none;
    if (kind == logs::Compression::none) {
        return std::unexpected(
            fmt::format("decompress {}: {} is not supported", shown, core.compression));
    }
    const char* tmp = std::getenv("TMPDIR");
    std::string path = fmt::format("{}/diag-core.XXXXXX", tmp != nullptr ? tmp : "/tmp");
    UniqueFd fd(::mkstemp(path.data()));
    if (!fd.valid()) {
        return std::unexpected(fmt::format("create {}: {}", path, std::strerror(errno)));
    }
    ReadableCore readable(path, true);
    auto decompressor = logs::Decompressor::create(kind);
    std::string write_error;
    const auto out = [&](std::string_view piece) {
        while (!piece.empty() && write_error.empty()) {
            const auto written = ::write(fd.get(), piece.data(), piece.size());
            if (written < 0) {
                write_error = std::strerror(errno);
                return;
            }
            piece.remove_prefix(static_cast<std::size_t>(written));
        }
    };
    constexpr std::size_t kChunkBytes = std::size_t{1} << 20U;
    for (std::uint64_t offset = 0;;) {
        auto chunk = root.read_range(core.path, offset, kChunkBytes);
        if (!chunk) {
            return std::unexpected(describe(to_issue(chunk.error())));
        }
        if (chunk->empty()) {
            break;
        }
        offset += chunk->size();
        if (auto fed = decompressor->feed(*chunk, out); !fed) {
            return std::unexpected(fmt::format("decompress {}: {}", shown, fed.error()));
        }
        if (!write_error.empty()) {
            return std::unexpected(fmt::format("write {}: {}", path, write_error));
        }
    }
    if (auto finished = decompressor->finish(); !finished) {
        return std::unexpected(fmt::format("decompress {}: {}", shown, finished.error()));
    }
    return readable;
}

}  // namespace diag::crash
