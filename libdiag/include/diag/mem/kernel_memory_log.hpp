#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/report.hpp>
#include <diag/core/root.hpp>
#include <diag/core/severity.hpp>
#include <diag/logs/classifier.hpp>
#include <diag/logs/log_record.hpp>

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

namespace diag::mem {

/// Kernel log messages about memory hardware errors that one rule of diag-logs' catalogue
/// matched (EDAC CE/UE lines, "mce: [Hardware Error]" machine checks, memory failure; not the
/// out-of-memory rules).
struct KernelMemoryEvents {
    /// The rule id, "mem.machine_check".
    std::string rule_id;
    Severity severity = Severity::warning;
    std::string meaning;
    std::string source;
    std::uint64_t count = 0;
    /// The first and last matching message, as the kernel wrote them.
    std::string first_message;
    std::string last_message;
    /// Their stamps ("[  12.345678]" or a date when the boot time is known).
    std::string first_stamp;
    std::string last_stamp;
};

/// Counts the records the memory rules match, record by record, keeping two messages per rule.
class KernelMemoryCounter {
public:
    /// Builds the classifier from the catalogue's memory rules; the error says why it failed.
    static std::expected<KernelMemoryCounter, std::string> make();

    /// Counts one record (its message and program).
    void add(const logs::LogRecord& record);

    /// The rules that matched, in catalogue order.
    [[nodiscard]] std::vector<KernelMemoryEvents> events() const;

private:
    explicit KernelMemoryCounter(logs::Classifier classifier);
    logs::Classifier classifier_;
    std::vector<KernelMemoryEvents> by_rule_;
};

/// Reads the kernel's ring buffer through the root's /dev/kmsg (diag::logs::read_kmsg, under
/// the root's deadline) and counts the memory rules' matches, one entry per rule that matched,
/// in catalogue order. An unreadable ring (no CAP_SYSLOG, a captured root without it) is an
/// Issue and no data. Memory stays bounded: only counts and two messages per rule are kept.
Collected<std::optional<std::vector<KernelMemoryEvents>>> read_kernel_memory_events(
    const Root& root);

/// One finding per rule that matched (mem.kernel_log), with the rule's severity; one ok finding
/// when the ring was read and held none.
Report assess_kernel_memory_events(const std::vector<KernelMemoryEvents>& events);

}  // namespace diag::mem
