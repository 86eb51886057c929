#include "diag/mem/rasdaemon.hpp"

#include "diag/core/deadline.hpp"
#include "diag/core/unique_fd.hpp"

#include <cerrno>
#include <map>
#include <memory>

#include <fmt/format.h>

#include <sqlite3.h>

namespace diag::mem {

namespace {

struct CloseDatabase {
    void operator()(sqlite3* db) const { sqlite3_close(db); }
};
struct FinalizeStatement {
    void operator()(sqlite3_stmt* statement) const { sqlite3_finalize(statement); }
};
using Database = std::unique_ptr<sqlite3, CloseDatabase>;
using Statement = std::unique_ptr<sqlite3_stmt, FinalizeStatement>;

// Grouped in SQL, so a database of millions of corrected errors costs a few rows here.
constexpr const char* kGroupQuery =
    "SELECT err_type, label, mc, top_layer, middle_layer, lower_layer, SUM(err_count), COUNT(*), "
    "MIN(timestamp), MAX(timestamp) FROM mc_event "
    "GROUP BY err_type, label, mc, top_layer, middle_layer, lower_layer";

constexpr int kBusyTimeoutMs = 2000;

std::string text_column(sqlite3_stmt* statement, int column) {
    const auto* text = sqlite3_column_text(statement, column);
    return text == nullptr ? std::string() : std::string(reinterpret_cast<const char*>(text));
}

std::optional<std::int64_t> integer_column(sqlite3_stmt* statement, int column) {
    if (sqlite3_column_type(statement, column) != SQLITE_INTEGER) {
        return std::nullopt;
    }
    return sqlite3_column_int64(statement, column);
}

RasMcGroup group_from(sqlite3_stmt* statement) {
    RasMcGroup group;
    group.type = text_column(statement, 0);
    group.label = text_column(statement, 1);
    group.mc = integer_column(statement, 2);
    std::string layers;
    for (int column = 3; column <= 5; ++column) {
        const auto layer = integer_column(statement, column);
        layers += (column == 3 ? "" : ".") + (layer ? std::to_string(*layer) : std::string("?"));
    }
    group.layers = std::move(layers);
    group.error_count = static_cast<std::uint64_t>(
        std::max<std::int64_t>(integer_column(statement, 6).value_or(0), 0));
    group.event_count = static_cast<std::uint64_t>(
        std::max<std::int64_t>(integer_column(statement, 7).value_or(0), 0));
    group.first_seen = text_column(statement, 8);
    group.last_seen = text_column(statement, 9);
    return group;
}

std::string place_of(const RasMcGroup& group) {
    if (!group.label.empty()) {
        return group.label;
    }
    return fmt::format("mc{} layers {}", group.mc ? std::to_string(*group.mc) : "?", group.layers);
}

bool uncorrected(const RasMcGroup& group) {
    return group.type == "Uncorrected" || group.type == "Fatal";
}

// The grouped mc_event rows of the database open on `fd`.
Collected<std::optional<std::vector<RasMcGroup>>> query_groups(int fd, bool live,
                                                               const std::string& shown) {
    Collected<std::optional<std::vector<RasMcGroup>>> out;
    // SQLite opens by name: the descriptor Root opened (inside a captured root, with its
    // checks) is named through /proc/self/fd. A captured copy is immutable: no locks needed.
    const std::string uri =
        fmt::format("file:/proc/self/fd/{}?mode=ro{}", fd, live ? "" : "&immutable=1");
    sqlite3* raw = nullptr;
    const int opened =
        sqlite3_open_v2(uri.c_str(), &raw, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    const Database db(raw);
    if (opened != SQLITE_OK) {
        out.add_issue(Issue{IssueLevel::error, "sqlite open", shown, sqlite3_errstr(opened), ""});
        return out;
    }
    // rasdaemon may be writing an event; wait for it rather than fail.
    sqlite3_busy_timeout(db.get(), kBusyTimeoutMs);
    sqlite3_stmt* prepared = nullptr;
    if (sqlite3_prepare_v2(db.get(), kGroupQuery, -1, &prepared, nullptr) != SQLITE_OK) {
        out.add_issue(Issue{IssueLevel::error, "sqlite query", shown, sqlite3_errmsg(db.get()),
                            "not a rasdaemon database, or one without an mc_event table"});
        return out;
    }
    const Statement statement(prepared);
    std::vector<RasMcGroup> groups;
    int step = SQLITE_ROW;
    while ((step = sqlite3_step(statement.get())) == SQLITE_ROW) {
        groups.push_back(group_from(statement.get()));
    }
    if (step != SQLITE_DONE) {
        out.add_issue(Issue{IssueLevel::error, "sqlite read", shown, sqlite3_errmsg(db.get()),
                            "the groups read before the error are judged"});
    }
    out.data = std::move(groups);
    return out;
}

}  // namespace

// TODO(#5): rasdaemon's mce_record table (machine checks it decoded, memory ones among them on
// boxes without an EDAC driver) is not read.
Collected<std::optional<std::vector<RasMcGroup>>> read_rasdaemon(const Root& root) {
    Collected<std::optional<std::vector<RasMcGroup>>> out;
    const std::string shown = root.display(kRasdaemonDatabase);
    auto file = root.open_file(kRasdaemonDatabase);
    if (!file) {
        if (file.error().errno_value == ENOENT) {
            out.add_issue(Issue{IssueLevel::info, "read", shown, "no rasdaemon database",
                                root.is_live() ? "install and enable rasdaemon to keep a record "
                                                 "of memory errors across reboots"
                                               : "not in the captured tree"});
        } else {
            out.add_issue(file.error());
        }
        return out;
    }
    // SQLite reads the file itself, outside Root's per-read deadline: the whole query runs
    // under it instead, owning the descriptor, so a database on a dying disk costs an Issue.
    auto fd = std::make_shared<UniqueFd>(std::move(*file));
    const bool live = root.is_live();
    auto read = run_with_deadline(
        [fd, live, shown] { return query_groups(fd->get(), live, shown); }, root.deadline());
    if (!read) {
        out.add_issue(Issue{IssueLevel::error, "sqlite read", shown,
                            fmt::format("no answer within {} ms", root.deadline().count()),
                            "the file may be on a failing disk; copy it elsewhere and use --root"});
        return out;
    }
    return std::move(*read);
}

Report assess_rasdaemon(const std::vector<RasMcGroup>& groups) {
    Report report;
    ++report.assessed_count;
    std::uint64_t corrected_total = 0;
    std::uint64_t uncorrected_total = 0;
    for (const auto& group : groups) {
        if (uncorrected(group)) {
            uncorrected_total += group.error_count;
        } else if (group.type == "Corrected") {
            corrected_total += group.error_count;
        } else {
            continue;  // "Info" events are not errors
        }
        const bool critical = uncorrected(group);
        report.findings.push_back(Finding{
            critical ? Severity::critical : Severity::warning,
            "mem.rasdaemon.errors",
            place_of(group),
            fmt::format("rasdaemon recorded {} {} memory error{} here, {} to {}", group.error_count,
                        critical ? "uncorrected" : "corrected", group.error_count == 1 ? "" : "s",
                        group.first_seen, group.last_seen),
            {{"type", group.type},
             {"errors", group.error_count},
             {"events", group.event_count},
             {"label", group.label},
             {"mc", group.mc ? std::to_string(*group.mc) : std::string()},
             {"layers", group.layers},
             {"first_seen", group.first_seen},
             {"last_seen", group.last_seen}},
            std::nullopt,
            critical ? "Documentation/admin-guide/ras.rst: an uncorrected error is data the ECC "
                       "could not repair"
                     : "Schroeder, Pinheiro, Weber, \"DRAM Errors in the Wild\", SIGMETRICS 2009 "
                       "and CACM 54(2) 2011: a DIMM with a correctable error usually has more"});
    }
    if (corrected_total == 0 && uncorrected_total == 0) {
        report.findings.push_back(Finding{Severity::ok,
                                          "mem.rasdaemon.errors",
                                          "rasdaemon",
                                          "rasdaemon recorded no memory controller errors",
                                          {{"groups", static_cast<std::uint64_t>(groups.size())}},
                                          std::nullopt,
                                          "rasdaemon mc_event table"});
    }
    report.metrics.push_back({"diag_mem_rasdaemon_corrected_errors",
                              "Corrected memory errors in rasdaemon's database.",
                              MetricType::gauge,
                              {},
                              static_cast<double>(corrected_total)});
    report.metrics.push_back({"diag_mem_rasdaemon_uncorrected_errors",
                              "Uncorrected and fatal memory errors in rasdaemon's database.",
                              MetricType::gauge,
                              {},
                              static_cast<double>(uncorrected_total)});
    return report;
}

}  // namespace diag::mem
