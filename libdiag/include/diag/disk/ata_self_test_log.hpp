#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace diag::disk {

/// One descriptor of the SMART self-test log (ACS-3 Table 136 "Self-test log descriptor
/// entry", 24 bytes): byte 0 the test that ran (LBA 7:0 of the command), byte 1 its execution
/// status, bytes 2-3 the power-on hours when it ended, byte 4 the failure checkpoint,
/// bytes 5-8 the LBA of the first failure (28 bits).
struct AtaSelfTestEntry {
    /// 1 short offline, 2 extended offline, 3 conveyance, 4 selective; 81h-84h the same in
    /// captive mode.
    std::uint8_t test_type = 0;
    /// Status in bits 7:4 (see self_test_status_text), remaining tenths in bits 3:0.
    std::uint8_t status_byte = 0;
    /// The 16-bit timestamp as logged: it wraps after 65535 hours.
    std::uint16_t hours_logged = 0;
    /// The power-on hours with the wrap undone (see unwrap_self_test_hours); absent until
    /// the drive's current power-on hours are known.
    std::optional<std::uint64_t> lifetime_hours;
    std::uint8_t checkpoint = 0;
    /// The first failing LBA, for failed tests that logged one.
    std::optional<std::uint64_t> failing_lba;

    /// Status bits 7:4.
    [[nodiscard]] unsigned status() const { return static_cast<unsigned>(status_byte) >> 4U; }
    /// Status 3 to 8: the test found a fault (fatal, unknown, electrical, servo, read,
    /// handling damage). Aborted and interrupted tests are not failures.
    [[nodiscard]] bool failed() const { return status() >= 3 && status() <= 8; }
    /// The kind of test without the captive-mode bit 7: 1 short, 2 extended, 3 conveyance,
    /// 4 selective, 0 an offline data collection routine.
    [[nodiscard]] unsigned test_kind() const { return static_cast<unsigned>(test_type) & 0x7FU; }
};

/// "short", "extended", "conveyance", "selective", "offline" or "vendor".
std::string_view self_test_kind_name(unsigned kind);

/// The SMART self-test log (SMART READ LOG address 06h), newest entry first.
struct AtaSelfTestLog {
    std::uint16_t revision = 0;
    std::vector<AtaSelfTestEntry> entries;
    bool checksum_valid = true;
};

/// Decodes the 512-byte log: 21 descriptors from offset 2 in a ring, byte 508 the index
/// (1-21) of the newest, byte 511 the checksum. Unused descriptors (all zero) are left out.
/// A bad checksum keeps the entries, with a problem.
Decoded<AtaSelfTestLog> decode_ata_self_test_log(PageBytes page);

/// Fills lifetime_hours from the drive's power-on hours now: each logged 16-bit timestamp is
/// taken as the latest time at or before `power_on_hours` with those low 16 bits. Entries
/// newer than power_on_hours (a clock that went back) keep their logged value.
void unwrap_self_test_hours(std::vector<AtaSelfTestEntry>& entries, std::uint64_t power_on_hours);

}  // namespace diag::disk
