#pragma once

#include <diag/disk/decoded.hpp>
#include <diag/disk/page_bytes.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diag::disk {

/// One vendor attribute of SMART READ DATA: a 12-byte entry (SFF-8035i rev 2, "Device
/// attribute data structure"; the layout ATA/ACS keeps as vendor specific): id, flags (LE16),
/// normalized value, worst value, six raw bytes (least significant first), one reserved byte.
/// The threshold comes from READ THRESHOLDS, the entry with the same id.
struct AtaAttribute {
    std::uint8_t id = 0;
    std::uint16_t flags = 0;
    /// Normalized current value, 1-253 on most drives, higher is better.
    std::uint8_t value = 0;
    std::uint8_t worst = 0;
    /// Absent when the threshold page was not read or has no entry for this id.
    std::optional<std::uint8_t> threshold;
    /// Raw bytes 0 (least significant) to 5, as on the page.
    std::array<std::uint8_t, 6> raw{};
    /// The byte after the raw bytes; some vendors use it as a seventh raw byte.
    std::uint8_t reserved = 0;
    /// How smartctl named and printed it, when the record was imported from smartctl JSON.
    std::optional<std::string> smartctl_name;
    std::optional<std::string> smartctl_raw_text;
    /// False when the page's checksum failed: the values are shown but not trusted.
    bool trusted = true;

    /// The six raw bytes as one number, byte 5 most significant (smartctl's "raw48").
    [[nodiscard]] std::uint64_t raw48() const;
    /// Raw 16-bit word 0 (bytes 0-1), 1 (bytes 2-3) or 2 (bytes 4-5).
    [[nodiscard]] std::uint16_t raw_word(unsigned index) const;
    /// Flag bit 0: pre-failure (a value at or below threshold predicts failure); otherwise
    /// an old-age or usage attribute.
    [[nodiscard]] bool prefailure() const { return (static_cast<unsigned>(flags) & 0x01U) != 0; }
    /// Flag bit 1: updated during normal operation, not only by offline data collection.
    [[nodiscard]] bool online() const { return (static_cast<unsigned>(flags) & 0x02U) != 0; }
};

/// Where an attribute stands against its vendor threshold.
enum class ThresholdState : std::uint8_t {
    /// No threshold known, or threshold 0 ("always passing" in ATA-3, and what vendors use
    /// for attributes they do not judge).
    none,
    ok,
    /// The worst value reached the threshold once; the current value is above it again.
    failed_past,
    /// The current value is at or below the threshold.
    failed_now,
};

/// The state of one attribute: failed now when value <= threshold, in the past when
/// worst <= threshold, both only for a threshold above 0. This is the rule of ATA-3
/// (X3T13/2008D rev 7b, 8.39.5.2) as smartctl applies it.
ThresholdState threshold_state(const AtaAttribute& attribute);

/// "ok", "failed_past", "failed_now", "none".
std::string_view to_string(ThresholdState state);

/// Decoded SMART READ DATA (B0h/D0h), ACS-3 Table 132 "Device SMART data structure".
struct AtaSmartData {
    /// Bytes 0-1.
    std::uint16_t revision = 0;
    /// Entries with a non-zero id, in page order.
    std::vector<AtaAttribute> attributes;
    /// Byte 362: offline data collection status (bit 7 auto offline enabled, bits 6:0 state).
    std::optional<std::uint8_t> offline_status;
    /// Byte 363: self-test execution status (bits 7:4 status, 3:0 remaining in tenths).
    std::optional<std::uint8_t> self_test_status;
    /// Bytes 364-365: seconds to complete offline data collection.
    std::optional<std::uint16_t> offline_seconds;
    /// Byte 372, and 373 (or bytes 375-376 when 373 is FFh): self-test polling minutes.
    std::optional<std::uint8_t> short_test_minutes;
    std::optional<std::uint16_t> extended_test_minutes;
    /// Byte 511: false when the page fails its checksum (values kept, marked untrusted).
    bool checksum_valid = true;
    /// True once a threshold page was applied; false when it failed its checksum.
    bool thresholds_applied = false;
    bool thresholds_checksum_valid = true;

    /// The attribute with this id; nullptr when absent.
    [[nodiscard]] const AtaAttribute* find(std::uint8_t id) const;
};

/// Decodes SMART READ DATA. Thirty 12-byte entries from offset 2; entries with id 0 are
/// unused. A bad checksum keeps every value, marks each attribute untrusted and adds a
/// problem; a short page decodes the entries that fit.
Decoded<AtaSmartData> decode_ata_smart_data(PageBytes page);

/// One entry of SMART READ THRESHOLDS (B0h/D1h): id and threshold, then ten reserved bytes.
struct AtaThreshold {
    std::uint8_t id = 0;
    std::uint8_t threshold = 0;
};

/// Decoded SMART READ THRESHOLDS: thirty 12-byte entries from offset 2 (SFF-8035i rev 2,
/// "Device attribute thresholds data structure"), checksum in byte 511.
struct AtaThresholds {
    std::uint16_t revision = 0;
    std::vector<AtaThreshold> entries;
    bool checksum_valid = true;
};

/// Decodes SMART READ THRESHOLDS; same partial-data rules as decode_ata_smart_data.
Decoded<AtaThresholds> decode_ata_smart_thresholds(PageBytes page);

/// Gives each attribute the threshold with the same id. A threshold page that failed its
/// checksum still applies, and marks the data's thresholds untrusted.
void apply_thresholds(AtaSmartData& data, const AtaThresholds& thresholds);

/// The status nibble (bits 7:4) of a self-test execution status byte (ACS-3 Table 133):
/// 0 completed without error, 1 aborted by the host, 2 interrupted by a reset, 3 fatal error,
/// 4 unknown test element failed, 5 electrical element failed, 6 servo or seek element failed,
/// 7 read element failed, 8 handling damage suspected, 15 in progress.
std::string_view self_test_status_text(std::uint8_t status_byte);

}  // namespace diag::disk
