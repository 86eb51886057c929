#include "diag/net/nic_assess.hpp"

#include "diag/core/units.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace diag::net {

namespace {

// Physical errors: IEEE 802.3 sets a bit error ratio objective of 1e-12 for BASE-T links
// (Clause 40.1 for 1000BASE-T, 55.1 for 10GBASE-T), about 1.2e-8 of 1500-byte frames. A frame
// error ratio 100 times that is a fault: warning at 1e-6. At 1e-4 TCP throughput collapses
// (Mathis, Semke, Mahdavi, Ott, "The Macroscopic Behavior of the TCP Congestion Avoidance
// Algorithm", CCR 27(3), 1997: rate ~ MSS / (RTT * sqrt(p))): critical, with at least 10 errors.
constexpr double kPhysWarnRatio = 1e-6;
constexpr double kPhysCritRatio = 1e-4;
constexpr std::uint64_t kPhysCritMinCount = 10;
// Losses (missed, fifo, drops, softnet, UDP buffers): 1e-4 already costs a long-RTT TCP flow
// most of its rate (Mathis et al. 1997); 1e-2 is an outage for any TCP flow.
constexpr double kLossWarnRatio = 1e-4;
constexpr double kLossCritRatio = 1e-2;
// TCP retransmits: the same limits diag-sys uses, 2% and 10% of at least 1000 segments.
constexpr double kRetransWarnRatio = 0.02;
constexpr double kRetransCritRatio = 0.10;
constexpr std::uint64_t kRetransMinSegments = 1000;
// Link flaps: one is a warning; 5 within 10 s is Cisco IOS's default errdisable link-flap limit
// ("errdisable flap-setting cause link-flap max-flaps 5 time 10").
constexpr std::uint64_t kFlapCritCount = 5;
constexpr double kFlapCritSpanSeconds = 10.0;

constexpr const char* kPhysSource =
    "IEEE 802.3 BER objective 1e-12 (Clause 40.1/55.1); warning at 1e-6 of frames, critical at "
    "1e-4 (Mathis et al. 1997) with 10 or more errors; since boot at most a warning";
constexpr const char* kLossSource =
    "loss ratio over the window: warning at 1e-4, critical at 1e-2 (Mathis et al. 1997, TCP rate "
    "~ 1/sqrt(loss)); since boot only info";

Severity grade(double ratio, double warn, double crit, std::uint64_t count,
               std::uint64_t crit_min_count = 1) {
    if (count == 0) {
        return Severity::ok;
    }
    if (ratio >= crit && count >= crit_min_count) {
        return Severity::critical;
    }
    return ratio >= warn ? Severity::warning : Severity::ok;
}

double ratio_of(std::uint64_t part, std::uint64_t whole) {
    return whole > 0 ? static_cast<double>(part) / static_cast<double>(whole) : 0.0;
}

std::string format_ratio(double ratio) {
    if (ratio == 0.0) {
        return "0%";
    }
    return ratio >= 1e-3 ? fmt::format("{:.2f}%", ratio * 100) : fmt::format("{:.1e}", ratio);
}

// One interface seen over the window, or since boot without one.
struct Scope {
    const Interface& now;
    const InterfaceWindow* window = nullptr;
    double seconds = 0.0;
    /// The driver statistics that classify_driver_stat recognises, classified once.
    std::vector<std::pair<DriverStatKind, const DriverStat*>> classified;

    Scope(const Interface& interface, const InterfaceWindow* w, double window_seconds)
        : now(interface), window(w), seconds(window_seconds) {
        if (interface.driver_stats) {
            for (const auto& stat : interface.driver_stats->stats) {
                if (auto kind = classify_driver_stat(stat.name)) {
                    classified.emplace_back(*kind, &stat);
                }
            }
        }
    }

    [[nodiscard]] bool since_boot() const { return window == nullptr; }
    [[nodiscard]] std::optional<std::uint64_t> amount(LinkCounter counter) const {
        if (window != nullptr) {
            return window->get(counter).transform([](const CounterDelta& d) { return d.delta; });
        }
        return now.counters.get(counter);
    }
    [[nodiscard]] std::uint64_t amount_or_zero(LinkCounter counter) const {
        return amount(counter).value_or(0);
    }
    // The largest driver statistic of a kind: drivers often count one error at several levels.
    [[nodiscard]] std::optional<std::uint64_t> driver(DriverStatKind kind) const {
        std::optional<std::uint64_t> best;
        for (const auto& [stat_kind, stat] : classified) {
            if (stat_kind != kind) {
                continue;
            }
            std::optional<std::uint64_t> value = stat->value;
            if (window != nullptr) {
                const auto it = window->driver_stats.find(stat->name);
                value = it == window->driver_stats.end() ? std::nullopt
                                                         : std::optional(it->second.delta);
            }
            if (value && (!best || *value > *best)) {
                best = value;
            }
        }
        return best;
    }
    [[nodiscard]] std::string span_text() const {
        return since_boot() ? "since boot" : fmt::format("in {:.1f} s", seconds);
    }
};

std::optional<std::uint64_t> max_of(std::optional<std::uint64_t> a,
                                    std::optional<std::uint64_t> b) {
    if (a && b) {
        return std::max(*a, *b);
    }
    return a ? a : b;
}

class Assessor {
public:
    Assessor(const NicSnapshot& last, const NicWindow* window, bool metrics)
        : last_(last), window_(window), metrics_(metrics) {}

    /// Keeps room for the findings of this many interfaces (one each when all is well) and
    /// those of the stack, so the list is not copied at every doubling.
    void expect(std::size_t interfaces) {
        constexpr std::size_t kStackFindings = 16;
        report_.findings.reserve(interfaces + kStackFindings);
    }
    void interface(const Interface& interface);
    void stack();
    void tcp();
    void totals();
    Report take() { return std::move(report_); }

private:
    void add(Finding finding) { report_.findings.push_back(std::move(finding)); }
    void assessed() { ++report_.assessed_count; }
    void summary(const Scope& scope);
    void physical(const Scope& scope);
    void ring(const Scope& scope);
    void drops(const Scope& scope);
    void link_state(const Scope& scope);
    void flaps(const Scope& scope);
    void duplex_and_speed(const Scope& scope);
    void metrics(const Interface& interface);
    void loss_rule(const Scope& scope, std::string check, std::string what, std::uint64_t count,
                   std::uint64_t whole, std::vector<Evidence> evidence, const char* source) {
        loss_finding(scope.now.name, std::move(check), std::move(what), count, whole,
                     std::move(evidence), source);
    }
    void loss_finding(std::string subject, std::string check, std::string what, std::uint64_t count,
                      std::uint64_t whole, std::vector<Evidence> evidence, const char* source);
    [[nodiscard]] bool since_boot() const { return window_ == nullptr; }
    [[nodiscard]] std::string span_text() const {
        return since_boot() ? "since boot" : fmt::format("in {:.1f} s", window_->seconds);
    }
    [[nodiscard]] std::optional<std::uint64_t> snmp_amount(std::string_view key) const;

    const NicSnapshot& last_;
    const NicWindow* window_;
    bool metrics_;
    Report report_;
    std::uint64_t errors_ = 0;
    std::uint64_t drops_ = 0;
    std::uint64_t flaps_ = 0;
};

std::string rate_text(const Scope& scope, LinkCounter packets, LinkCounter bytes) {
    if (scope.window == nullptr) {
        const auto p = scope.now.counters.get(packets);
        const auto b = scope.now.counters.get(bytes);
        return p && b ? fmt::format("{} pkts, {}", *p, format_bytes(*b)) : "no counters";
    }
    const auto& p = scope.window->get(packets);
    const auto& b = scope.window->get(bytes);
    return p && b ? fmt::format("{:.0f} pkt/s, {}/s", p->per_second,
                                format_bytes(static_cast<std::uint64_t>(b->per_second)))
                  : "no counters";
}

void Assessor::summary(const Scope& scope) {
    const auto& i = scope.now;
    std::string state = i.admin_up == false ? "admin down"
                        : i.operstate       ? std::string(to_string(*i.operstate))
                                            : "state unknown";
    if (i.settings && i.settings->speed_mbps) {
        state += fmt::format(", {} Mb/s", *i.settings->speed_mbps);
        if (i.settings->duplex) {
            state += i.settings->duplex == Duplex::full ? " full" : " half";
        }
    }
    if (i.master) {
        state += fmt::format(", member of {}", *i.master);
    }
    Finding finding{i.admin_up == false ? Severity::info : Severity::ok,
                    "net.nic.interface",
                    i.name,
                    fmt::format("{}; rx {}; tx {} ({})", state,
                                rate_text(scope, LinkCounter::rx_packets, LinkCounter::rx_bytes),
                                rate_text(scope, LinkCounter::tx_packets, LinkCounter::tx_bytes),
                                scope.span_text()),
                    {{"counters_source", std::string(to_string(i.counters_source))}},
                    std::nullopt,
                    "rtnetlink IFLA_STATS64, sysfs statistics or /proc/net/dev"};
    // Room for exactly the items below at once: one allocation instead of one per doubling,
    // and none larger than needed (hundreds of interfaces each have one).
    constexpr std::size_t kAlwaysEvidence = 7;  // counters_source and six counters at most
    finding.evidence.reserve(kAlwaysEvidence + static_cast<std::size_t>(i.kind.has_value()) +
                             static_cast<std::size_t>(i.physical.has_value()) +
                             static_cast<std::size_t>(i.driver.has_value()) +
                             static_cast<std::size_t>(i.mtu.has_value()) +
                             static_cast<std::size_t>(i.master.has_value()));
    if (i.kind) {
        finding.evidence.push_back({"kind", *i.kind});
    }
    if (i.physical) {
        finding.evidence.push_back({"physical", *i.physical});
    }
    if (i.driver) {
        finding.evidence.push_back({"driver", i.driver->driver});
    }
    if (i.mtu) {
        finding.evidence.push_back({"mtu", std::uint64_t{*i.mtu}});
    }
    if (i.master) {
        finding.evidence.push_back({"master", *i.master});
    }
    for (auto counter :
         {LinkCounter::rx_packets, LinkCounter::tx_packets, LinkCounter::rx_errors,
          LinkCounter::tx_errors, LinkCounter::rx_dropped, LinkCounter::tx_dropped}) {
        if (auto value = scope.amount(counter)) {
            finding.evidence.push_back({fmt::format("{}_count", counter_name(counter)), *value});
        }
    }
    add(std::move(finding));
    assessed();
}

void Assessor::physical(const Scope& scope) {
    const auto rx_ok = scope.amount(LinkCounter::rx_packets);
    if (!rx_ok) {
        return;
    }
    struct Rule {
        const char* check = nullptr;
        const char* what = nullptr;
        std::optional<std::uint64_t> count;
        const char* cause = nullptr;
    };
    const std::array<Rule, 3> rules{{
        {"net.phys.crc_errors", "CRC/FCS errors",
         max_of(scope.amount(LinkCounter::rx_crc_errors), scope.driver(DriverStatKind::crc_errors)),
         "a bad cable, optic, connector or switch port"},
        // rx_frame_errors is "frame alignment errors" on Ethernet
        // (Documentation/ABI/testing/sysfs-class-net-statistics).
        {"net.phys.alignment_errors", "alignment errors",
         max_of(scope.amount(LinkCounter::rx_frame_errors),
                scope.driver(DriverStatKind::alignment_errors)),
         "a duplex mismatch or bad cabling"},
        {"net.phys.symbol_errors", "symbol errors", scope.driver(DriverStatKind::symbol_errors),
         "a failing optic, dirty fibre or bad cable"},
    }};
    for (const auto& rule : rules) {
        if (!rule.count) {
            continue;
        }
        assessed();
        const double ratio = ratio_of(*rule.count, *rx_ok + *rule.count);
        auto severity =
            grade(ratio, kPhysWarnRatio, kPhysCritRatio, *rule.count, kPhysCritMinCount);
        if (scope.since_boot()) {
            severity = std::min(severity, Severity::warning);
        }
        if (*rule.count == 0) {
            continue;
        }
        add({std::max(severity, Severity::info),
             rule.check,
             scope.now.name,
             fmt::format("physical: {} {} ({} of received frames) {}: {}", *rule.count, rule.what,
                         format_ratio(ratio), scope.span_text(), rule.cause),
             {{"errors_count", *rule.count},
              {"rx_packets_count", *rx_ok},
              {"ratio", ratio},
              {"since_boot", scope.since_boot()}},
             std::nullopt,
             kPhysSource});
    }
    // Late collisions (tx_window_errors on Ethernet): a frame collided after its first 64
    // bytes, which on full duplex only a duplex mismatch or an overlong segment causes.
    const auto late = max_of(scope.amount(LinkCounter::tx_window_errors),
                             scope.driver(DriverStatKind::late_collisions));
    if (late) {
        assessed();
        const auto tx = scope.amount_or_zero(LinkCounter::tx_packets);
        const double ratio = ratio_of(*late, tx + *late);
        if (*late > 0) {
            auto severity = std::max(Severity::warning, grade(ratio, kPhysWarnRatio, kPhysCritRatio,
                                                              *late, kPhysCritMinCount));
            add({scope.since_boot() ? Severity::warning : severity,
                 "net.phys.late_collisions",
                 scope.now.name,
                 fmt::format("physical: {} late collisions {}: a duplex mismatch or a segment "
                             "longer than the standard allows",
                             *late, scope.span_text()),
                 {{"late_collisions_count", *late}, {"ratio", ratio}},
                 std::nullopt,
                 "IEEE 802.3 Clause 4 (late collision after the slot time); any is a warning, "
                 "1e-4 of frames critical"});
        }
    }
}

void Assessor::loss_finding(std::string subject, std::string check, std::string what,
                            std::uint64_t count, std::uint64_t whole,
                            std::vector<Evidence> evidence, const char* source) {
    assessed();
    if (count == 0) {
        return;
    }
    const double ratio = ratio_of(count, whole + count);
    auto severity = grade(ratio, kLossWarnRatio, kLossCritRatio, count);
    if (since_boot()) {
        severity = Severity::info;
    }
    evidence.push_back({"lost_count", count});
    evidence.push_back({"ratio", ratio});
    evidence.push_back({"since_boot", since_boot()});
    if (!since_boot() && window_->seconds > 0) {
        evidence.push_back({"per_second", static_cast<double>(count) / window_->seconds});
    }
    add({std::max(severity, Severity::info), std::move(check), std::move(subject),
         fmt::format("{}: {} ({} of packets) {}", what, count, format_ratio(ratio), span_text()),
         std::move(evidence), std::nullopt, source});
}

void Assessor::ring(const Scope& scope) {
    const auto rx_ok = scope.amount(LinkCounter::rx_packets);
    if (!rx_ok) {
        return;
    }
    const auto missed = max_of(max_of(scope.amount(LinkCounter::rx_missed_errors),
                                      scope.driver(DriverStatKind::rx_missed)),
                               scope.driver(DriverStatKind::rx_no_buffer));
    if (missed) {
        loss_rule(scope, "net.ring.missed",
                  "ring/driver: frames missed for want of a free receive descriptor (host too "
                  "slow or ring too small; ethtool -g)",
                  *missed, *rx_ok, {}, kLossSource);
    }
    const auto fifo = scope.amount(LinkCounter::rx_fifo_errors);
    const auto over = scope.amount(LinkCounter::rx_over_errors);
    if (fifo || over) {
        const auto count =
            fifo.value_or(0) + over.value_or(0) + scope.amount_or_zero(LinkCounter::tx_fifo_errors);
        loss_rule(scope, "net.ring.fifo", "ring/driver: FIFO overruns and ring overflows", count,
                  *rx_ok, {}, kLossSource);
    }
}

void Assessor::drops(const Scope& scope) {
    auto rx = scope.amount(LinkCounter::rx_dropped);
    const auto tx = scope.amount(LinkCounter::tx_dropped);
    std::vector<Evidence> evidence;
    const char* rx_what = "rx_dropped_count";
    if (!rx && scope.now.proc_net_dev && scope.since_boot()) {
        // /proc/net/dev only has rx_dropped plus rx_missed_errors in one column.
        rx = scope.now.proc_net_dev->rx_dropped_and_missed;
        rx_what = "rx_dropped_and_missed_count";
    }
    if (!rx && !tx) {
        return;
    }
    evidence.push_back({rx_what, rx.value_or(0)});
    evidence.push_back({"tx_dropped_count", tx.value_or(0)});
    if (auto nohandler = scope.amount(LinkCounter::rx_nohandler); nohandler && *nohandler > 0) {
        evidence.push_back({"rx_nohandler_count", *nohandler});
    }
    const auto packets = scope.amount_or_zero(LinkCounter::rx_packets) +
                         scope.amount_or_zero(LinkCounter::tx_packets);
    drops_ += rx.value_or(0) + tx.value_or(0);
    loss_rule(scope, "net.stack.drops",
              "stack: packets dropped by the kernel (no buffer, unknown protocol, MTU, qdisc or "
              "filter)",
              rx.value_or(0) + tx.value_or(0), packets, std::move(evidence),
              "rx_dropped and tx_dropped (Documentation/ABI/testing/sysfs-class-net-statistics); "
              "loss ratio warning at 1e-4, critical at 1e-2 over the window (Mathis et al. "
              "1997); since boot only info");
    if (auto other = scope.amount(LinkCounter::rx_otherhost_dropped); other && *other > 0) {
        std::vector<Evidence> other_evidence{{"rx_otherhost_dropped_count", *other},
                                             {"since_boot", scope.since_boot()}};
        if (!scope.since_boot() && scope.seconds > 0) {
            other_evidence.push_back({"per_second", static_cast<double>(*other) / scope.seconds});
        }
        add({Severity::info, "net.stack.otherhost", scope.now.name,
             fmt::format("stack: {} frames for another host's MAC address dropped {} (flooding, "
                         "a stale neighbour entry or a promiscuous capture)",
                         *other, scope.span_text()),
             std::move(other_evidence), std::nullopt,
             "rx_otherhost_dropped (rtnetlink IFLA_STATS64, Linux 6.0+); informational"});
    }
}

void Assessor::link_state(const Scope& scope) {
    const auto& i = scope.now;
    if (!i.admin_up || !*i.admin_up || !i.operstate) {
        return;
    }
    assessed();
    const bool no_carrier =
        *i.operstate == OperState::down || *i.operstate == OperState::lower_layer_down;
    if (no_carrier) {
        add({Severity::warning,
             "net.link.state",
             i.name,
             fmt::format("link: administratively up but {} (no carrier)", to_string(*i.operstate)),
             {{"operstate", std::string(to_string(*i.operstate))}},
             std::nullopt,
             "IFF_UP with operstate down or lowerlayerdown, Documentation/networking/"
             "operstates.rst"});
    }
}

void Assessor::flaps(const Scope& scope) {
    const auto& i = scope.now;
    std::optional<std::uint64_t> downs;
    if (scope.window != nullptr) {
        if (scope.window->carrier_down) {
            downs = scope.window->carrier_down->delta;
        } else if (scope.window->carrier_changes) {
            downs = scope.window->carrier_changes->delta / 2;
        }
    } else {
        // A driver turns the carrier off once while it starts (netif_carrier_off in its probe
        // or open) before the first link up, so one down is the baseline, not a flap.
        downs = i.carrier_down_count.transform(
            [](std::uint32_t v) { return v > 0 ? std::uint64_t{v} - 1 : std::uint64_t{0}; });
    }
    if (!downs) {
        return;
    }
    assessed();
    if (*downs == 0) {
        return;
    }
    std::vector<Evidence> evidence{{"flaps_count", *downs}, {"since_boot", scope.since_boot()}};
    if (scope.since_boot()) {
        add({Severity::info, "net.link.flaps", i.name,
             fmt::format("link: carrier lost {} {} since the interface was created", *downs,
                         *downs == 1 ? "time" : "times"),
             std::move(evidence), std::nullopt,
             "carrier_down_count (Linux 4.19+) less the one loss every driver makes as it "
             "starts; no rate without a window, so info"});
        return;
    }
    flaps_ += *downs;
    std::vector<std::string> times;
    std::optional<std::chrono::system_clock::time_point> latest;
    for (const auto& event : window_->events) {
        if (event.interface == i.name) {
            latest = event.time;
            times.push_back(fmt::format("{}{} {}", event.between_samples ? "by " : "",
                                        format_iso8601(event.time),
                                        event.carrier_up ? "up" : "down"));
        }
    }
    if (!times.empty()) {
        evidence.push_back({"events", fmt::format("{}", fmt::join(times, ", "))});
    }
    const double per_span = static_cast<double>(*downs) * kFlapCritSpanSeconds /
                            std::max(scope.seconds, kFlapCritSpanSeconds);
    const bool critical = *downs >= kFlapCritCount && per_span >= kFlapCritCount;
    add({critical ? Severity::critical : Severity::warning, "net.link.flaps", i.name,
         fmt::format("link: carrier lost {} {} in {:.1f} s while the interface was up", *downs,
                     *downs == 1 ? "time" : "times", scope.seconds),
         std::move(evidence), latest,
         "carrier_down_count over the window: any flap is a warning, 5 within 10 s critical "
         "(Cisco IOS errdisable link-flap default)"});
}

void Assessor::duplex_and_speed(const Scope& scope) {
    const auto& i = scope.now;
    if (!i.settings || i.carrier != true) {
        return;
    }
    const auto& s = *i.settings;
    if (s.duplex) {
        assessed();
        if (*s.duplex == Duplex::half) {
            add({Severity::warning,
                 "net.link.half_duplex",
                 i.name,
                 "link: running half duplex; autonegotiation failed on one end or was forced",
                 {{"duplex", std::string("half")}},
                 std::nullopt,
                 "IEEE 802.3 Clause 28 autonegotiation: switched links run full duplex; half "
                 "duplex beside a full-duplex peer gives late collisions and CRC errors"});
        }
    }
    if (!s.speed_mbps) {
        return;
    }
    const auto best = best_common_speed_mbps(s.supported, s.partner_advertised);
    if (!best) {
        return;
    }
    assessed();
    if (*s.speed_mbps < *best) {
        add({Severity::warning,
             "net.link.speed",
             i.name,
             fmt::format("link: {} Mb/s, though both ends can do {} Mb/s (a bad pair or a forced "
                         "setting)",
                         *s.speed_mbps, *best),
             {{"speed_mbps", std::uint64_t{*s.speed_mbps}},
              {"best_common_mbps", std::uint64_t{*best}}},
             std::nullopt,
             "ETHTOOL_GLINKSETTINGS supported modes against the link partner's advertised modes"});
    }
}

void Assessor::metrics(const Interface& interface) {
    // A virtual device is not asked over ethtool; its kind ("veth", "bridge") names the driver.
    const std::string driver =
        interface.driver ? interface.driver->driver : interface.kind.value_or(std::string());
    const std::vector<Label> labels{{"device", interface.name}, {"driver", driver}};
    static const auto kNames = [] {
        std::array<std::pair<std::string, std::string>, kLinkCounterCount> names;
        for (auto counter : all_link_counters()) {
            names.at(static_cast<std::size_t>(counter)) = {
                fmt::format("diag_nic_{}_total", counter_name(counter)),
                fmt::format("{} of the interface (rtnetlink IFLA_STATS64 or sysfs).",
                            counter_name(counter))};
        }
        return names;
    }();
    for (auto counter : all_link_counters()) {
        if (auto value = interface.counters.get(counter)) {
            const auto& [name, help] = kNames.at(static_cast<std::size_t>(counter));
            report_.metrics.push_back(
                {name, help, MetricType::counter, labels, static_cast<double>(*value)});
        }
    }
    if (interface.carrier_changes) {
        report_.metrics.push_back(
            {"diag_nic_carrier_changes_total", "Carrier changes since the interface was created.",
             MetricType::counter, labels, static_cast<double>(*interface.carrier_changes)});
    }
    if (interface.carrier) {
        report_.metrics.push_back({"diag_nic_carrier", "1 when the link has carrier.",
                                   MetricType::gauge, labels, *interface.carrier ? 1.0 : 0.0});
    }
    if (interface.settings && interface.settings->speed_mbps) {
        constexpr double kBytesPerMegabit = 125000.0;
        report_.metrics.push_back({"diag_nic_speed_bytes_per_second", "Negotiated link speed.",
                                   MetricType::gauge, labels,
                                   *interface.settings->speed_mbps * kBytesPerMegabit});
    }
}

void Assessor::interface(const Interface& interface) {
    const InterfaceWindow* w = window_ != nullptr ? window_->find(interface.name) : nullptr;
    const Scope scope{interface, w, window_ != nullptr ? window_->seconds : 0.0};
    if (window_ != nullptr && w == nullptr) {
        report_.issues.push_back(Issue{IssueLevel::info, "sample", interface.name,
                                       "appeared during the window: judged since creation", ""});
    }
    summary(scope);
    if (w != nullptr) {
        errors_ += scope.amount_or_zero(LinkCounter::rx_errors) +
                   scope.amount_or_zero(LinkCounter::tx_errors);
    }
    physical(scope);
    ring(scope);
    drops(scope);
    link_state(scope);
    flaps(scope);
    duplex_and_speed(scope);
    if (metrics_) {
        metrics(interface);
    }
}

std::optional<std::uint64_t> Assessor::snmp_amount(std::string_view key) const {
    if (window_ != nullptr) {
        const auto it = window_->snmp.find(key);
        return it == window_->snmp.end() ? std::nullopt : std::optional(it->second.delta);
    }
    if (!last_.snmp) {
        return std::nullopt;
    }
    const auto value = sys::find(*last_.snmp, key);
    return value && *value >= 0 ? std::optional(static_cast<std::uint64_t>(*value)) : std::nullopt;
}

void Assessor::stack() {
    std::optional<std::uint64_t> dropped;
    std::optional<std::uint64_t> processed;
    std::optional<std::uint64_t> squeezed;
    if (window_ != nullptr) {
        auto delta = [](const std::optional<CounterDelta>& d) {
            return d.transform([](const CounterDelta& v) { return v.delta; });
        };
        dropped = delta(window_->softnet_dropped);
        processed = delta(window_->softnet_processed);
        squeezed = delta(window_->softnet_time_squeeze);
    } else if (last_.softnet) {
        dropped = processed = squeezed = 0;
        for (const auto& cpu : last_.softnet->cpus) {
            *dropped += cpu.dropped;
            *processed += cpu.processed;
            *squeezed += cpu.time_squeeze;
        }
    }
    if (dropped && processed) {
        loss_finding("softnet", "net.stack.softnet_drops",
                     "stack: frames dropped because a CPU's backlog was full "
                     "(net.core.netdev_max_backlog)",
                     *dropped, *processed, {}, kLossSource);
    }
    if (squeezed && *squeezed > 0) {
        add({Severity::info,
             "net.stack.softnet_squeeze",
             "softnet",
             fmt::format("stack: receive processing ran out of budget {} times {} "
                         "(net.core.netdev_budget, netdev_budget_usecs)",
                         *squeezed, span_text()),
             {{"time_squeeze_count", *squeezed}},
             std::nullopt,
             "time_squeeze in /proc/net/softnet_stat (net/core/net-procfs.c); a squeeze is not a "
             "loss, so info"});
    }
    if (last_.softnet && metrics_) {
        for (const auto& cpu : last_.softnet->cpus) {
            const std::vector<Label> labels{{"cpu", std::to_string(cpu.cpu.value_or(cpu.line))}};
            report_.metrics.push_back({"diag_nic_softnet_dropped_total",
                                       "Frames dropped on a full per-CPU backlog (32-bit, wraps).",
                                       MetricType::counter, labels,
                                       static_cast<double>(cpu.dropped)});
            report_.metrics.push_back({"diag_nic_softnet_time_squeeze_total",
                                       "Times receive processing ran out of budget (32-bit).",
                                       MetricType::counter, labels,
                                       static_cast<double>(cpu.time_squeeze)});
        }
    }
    if (auto rcvbuf = snmp_amount("Udp:RcvbufErrors")) {
        loss_finding("udp", "net.stack.udp_rcvbuf_errors",
                     "stack: UDP datagrams dropped on a full socket receive buffer", *rcvbuf,
                     snmp_amount("Udp:InDatagrams").value_or(0),
                     {{"udp_in_errors_count", snmp_amount("Udp:InErrors").value_or(0)}},
                     kLossSource);
    }
    std::optional<std::uint64_t> checksum;
    for (const char* key : {"IpExt:InCsumErrors", "Tcp:InCsumErrors", "Udp:InCsumErrors"}) {
        if (auto value = snmp_amount(key)) {
            checksum = checksum.value_or(0) + *value;
        }
    }
    if (checksum) {
        assessed();
        if (*checksum > 0) {
            add({since_boot() ? Severity::info : Severity::warning,
                 "net.stack.checksum_errors",
                 "ip",
                 fmt::format("stack: {} packets with bad IP, TCP or UDP checksums {}: corruption "
                             "the Ethernet CRC did not catch (offload, memory, a middlebox)",
                             *checksum, span_text()),
                 {{"checksum_errors_count", *checksum}},
                 std::nullopt,
                 "InCsumErrors in /proc/net/snmp (RFC 1122 checksums); any in the window is a "
                 "warning, since boot info"});
        }
    }
}

void Assessor::tcp() {
    const auto sent = snmp_amount("Tcp:OutSegs");
    const auto resent = snmp_amount("Tcp:RetransSegs");
    if (sent && resent) {
        assessed();
        const double ratio = ratio_of(*resent, *sent);
        Severity severity = Severity::ok;
        if (!since_boot() && *sent >= kRetransMinSegments) {
            severity = grade(ratio, kRetransWarnRatio, kRetransCritRatio, *resent);
        } else if (since_boot() && ratio >= kRetransWarnRatio) {
            severity = Severity::info;
        }
        Finding finding{severity,
                        "net.tcp.retransmits",
                        "tcp",
                        fmt::format("TCP: {} of {} segments retransmitted ({}) {}", *resent, *sent,
                                    format_ratio(ratio), span_text()),
                        {{"retransmitted_count", *resent}, {"sent_count", *sent}, {"ratio", ratio}},
                        std::nullopt,
                        "Tcp:RetransSegs / Tcp:OutSegs (RFC 4022); warning at 2%, critical at "
                        "10% of at least 1000 segments in the window; since boot only info"};
        for (const char* key :
             {"TcpExt:TCPLostRetransmit", "TcpExt:TCPTimeouts", "TcpExt:TCPSynRetrans"}) {
            if (auto value = snmp_amount(key)) {
                finding.evidence.push_back({std::string(key).substr(7) + "_count", *value});
            }
        }
        add(std::move(finding));
        if (!since_boot()) {
            report_.perfdata.push_back(
                {"tcp_retrans_pct", ratio * 100, "%", std::nullopt, std::nullopt, 0.0, 100.0});
        }
    }
    const auto overflows = snmp_amount("TcpExt:ListenOverflows");
    if (overflows) {
        assessed();
        if (*overflows > 0) {
            add({since_boot() ? Severity::info : Severity::warning,
                 "net.tcp.listen_overflows",
                 "tcp",
                 fmt::format("TCP: {} connections dropped because an accept queue was full {}",
                             *overflows, span_text()),
                 {{"listen_overflows_count", *overflows},
                  {"listen_drops_count", snmp_amount("TcpExt:ListenDrops").value_or(0)}},
                 std::nullopt,
                 "TcpExt:ListenOverflows (net/ipv4/tcp_ipv4.c, tcp_v4_syn_recv_sock); any in the "
                 "window means a server does not accept fast enough or its backlog is too small"});
        }
    }
}

void Assessor::totals() {
    if (window_ == nullptr || window_->seconds <= 0) {
        return;
    }
    const double seconds = window_->seconds;
    report_.perfdata.push_back({"errors_per_s", static_cast<double>(errors_) / seconds, "",
                                std::nullopt, std::nullopt, 0.0, std::nullopt});
    report_.perfdata.push_back({"drops_per_s", static_cast<double>(drops_) / seconds, "",
                                std::nullopt, std::nullopt, 0.0, std::nullopt});
    report_.perfdata.push_back(
        {"flaps", static_cast<double>(flaps_), "", std::nullopt, std::nullopt, 0.0, std::nullopt});
}

}  // namespace

Report assess_nic(const NicSnapshot& last, const NicWindow* window, const NicSelection& selection,
                  bool metrics) {
    Assessor assessor(last, window, metrics);
    assessor.expect(static_cast<std::size_t>(
        std::count_if(last.interfaces.begin(), last.interfaces.end(),
                      [&](const Interface& interface) { return selection.selects(interface); })));
    for (const auto& interface : last.interfaces) {
        if (selection.selects(interface)) {
            assessor.interface(interface);
        }
    }
    assessor.stack();
    assessor.tcp();
    assessor.totals();
    return assessor.take();
}

}  // namespace diag::net
