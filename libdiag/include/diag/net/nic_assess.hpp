#pragma once

#include <diag/core/report.hpp>
#include <diag/net/nic_snapshot.hpp>
#include <diag/net/nic_window.hpp>

namespace diag::net {

/// Judges the selected interfaces and the stack by layer: physical (CRC, alignment, symbol
/// errors, late collisions), ring/driver (missed, fifo and overrun), stack (drops, softnet
/// drops and squeezes, UDP buffer and checksum errors), TCP (retransmits, listen overflows) and
/// link (state, flaps, duplex, speed). With a window, thresholds are ratios over it; without
/// one, counters since boot are judged more mildly (warning at most for physical errors, info
/// for losses) because they cannot say whether a fault is still going on. Each rule with data
/// counts as assessed; findings are made for what is not ok plus one summary per interface.
/// Thresholds and their sources are in diag-nic(1) and beside each rule. Per-interface
/// Prometheus metrics (25 counters, carrier and speed of each) are made only when `metrics` is
/// true: on a box with hundreds of interfaces they are most of the work and of the JSON.
Report assess_nic(const NicSnapshot& last, const NicWindow* window, const NicSelection& selection,
                  bool metrics = true);

}  // namespace diag::net
