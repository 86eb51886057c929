#include "diag/disk/ata_smart_data.hpp"

#include "diag/disk/ata_checksum.hpp"
#include "disk/page_reader.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kPageBytes = 512;
constexpr std::size_t kEntries = 30;
constexpr std::size_t kEntryBytes = 12;
constexpr std::size_t kFirstEntry = 2;

AtaAttribute read_attribute(PageBytes entry) {
    AtaAttribute attribute;
    attribute.id = entry[0];
    attribute.flags = detail::le16(entry, 1);
    attribute.value = entry[3];
    attribute.worst = entry[4];
    std::copy_n(entry.begin() + 5, 6, attribute.raw.begin());
    attribute.reserved = entry[11];
    return attribute;
}

// Entries that fit the page, each given to fn; a problem when the page is short.
template <class Fn>
void for_each_entry(PageBytes page, std::string_view what, std::vector<std::string>& problems,
                    Fn fn) {
    if (page.size() < kPageBytes) {
        problems.push_back(fmt::format("{}: {} bytes, expected {}; only whole entries were read",
                                       what, page.size(), kPageBytes));
    }
    for (std::size_t i = 0; i < kEntries; ++i) {
        const std::size_t at = kFirstEntry + i * kEntryBytes;
        if (at + kEntryBytes > page.size()) {
            break;
        }
        fn(page.subspan(at, kEntryBytes));
    }
}

bool check_page(PageBytes page, std::string_view what, std::vector<std::string>& problems) {
    if (page.size() < kPageBytes) {
        return false;
    }
    const auto whole = page.first(kPageBytes);
    if (ata_checksum_valid(whole)) {
        return true;
    }
    problems.push_back(fmt::format("{}: {}; values are shown but not trusted", what,
                                   describe_ata_checksum_failure(whole)));
    return false;
}

void read_status_bytes(PageBytes page, AtaSmartData& data) {
    if (page.size() < kPageBytes) {
        return;
    }
    data.offline_status = page[362];
    data.self_test_status = page[363];
    data.offline_seconds = detail::le16(page, 364);
    data.short_test_minutes = page[372];
    // Byte 373 FFh: the extended polling time is in bytes 375-376 (ACS-3 Table 132).
    data.extended_test_minutes = page[373] == 0xFF ? detail::le16(page, 375) : page[373];
}

}  // namespace

std::uint64_t AtaAttribute::raw48() const {
    std::uint64_t value48 = 0;
    for (std::size_t i = raw.size(); i > 0; --i) {
        value48 = (value48 << 8U) | raw[i - 1];
    }
    return value48;
}

std::uint16_t AtaAttribute::raw_word(unsigned index) const {
    const std::size_t low = std::size_t{index} * 2;
    if (low + 1 >= raw.size()) {
        return 0;
    }
    return static_cast<std::uint16_t>(static_cast<unsigned>(raw[low]) |
                                      (static_cast<unsigned>(raw[low + 1]) << 8U));
}

ThresholdState threshold_state(const AtaAttribute& attribute) {
    if (!attribute.threshold || *attribute.threshold == 0) {
        return ThresholdState::none;
    }
    if (attribute.value <= *attribute.threshold) {
        return ThresholdState::failed_now;
    }
    if (attribute.worst <= *attribute.threshold) {
        return ThresholdState::failed_past;
    }
    return ThresholdState::ok;
}

std::string_view to_string(ThresholdState state) {
    switch (state) {
        case ThresholdState::ok:
            return "ok";
        case ThresholdState::failed_past:
            return "failed_past";
        case ThresholdState::failed_now:
            return "failed_now";
        case ThresholdState::none:
            break;
    }
    return "none";
}

const AtaAttribute* AtaSmartData::find(std::uint8_t id) const {
    const auto it = std::find_if(attributes.begin(), attributes.end(),
                                 [id](const AtaAttribute& a) { return a.id == id; });
    return it == attributes.end() ? nullptr : &*it;
}

Decoded<AtaSmartData> decode_ata_smart_data(PageBytes page) {
    Decoded<AtaSmartData> out;
    auto& data = out.value;
    data.revision = detail::le16(page, 0);
    for_each_entry(page, "SMART READ DATA", out.problems, [&](PageBytes entry) {
        if (entry[0] != 0) {
            data.attributes.push_back(read_attribute(entry));
        }
    });
    read_status_bytes(page, data);
    data.checksum_valid = check_page(page, "SMART READ DATA", out.problems);
    if (!data.checksum_valid) {
        for (auto& attribute : data.attributes) {
            attribute.trusted = false;
        }
    }
    return out;
}

Decoded<AtaThresholds> decode_ata_smart_thresholds(PageBytes page) {
    Decoded<AtaThresholds> out;
    out.value.revision = detail::le16(page, 0);
    for_each_entry(page, "SMART READ THRESHOLDS", out.problems, [&](PageBytes entry) {
        if (entry[0] != 0) {
            out.value.entries.push_back({entry[0], entry[1]});
        }
    });
    out.value.checksum_valid = check_page(page, "SMART READ THRESHOLDS", out.problems);
    return out;
}

void apply_thresholds(AtaSmartData& data, const AtaThresholds& thresholds) {
    for (auto& attribute : data.attributes) {
        const auto it = std::find_if(thresholds.entries.begin(), thresholds.entries.end(),
                                     [&](const AtaThreshold& t) { return t.id == attribute.id; });
        if (it != thresholds.entries.end()) {
            attribute.threshold = it->threshold;
            if (!thresholds.checksum_valid) {
                attribute.trusted = false;
            }
        }
    }
    data.thresholds_applied = true;
    data.thresholds_checksum_valid = thresholds.checksum_valid;
}

std::string_view self_test_status_text(std::uint8_t status_byte) {
    switch (static_cast<unsigned>(status_byte) >> 4U) {
        case 0:
            return "completed without error";
        case 1:
            return "aborted by the host";
        case 2:
            return "interrupted by a reset";
        case 3:
            return "fatal or unknown error";
        case 4:
            return "completed with an unknown element failed";
        case 5:
            return "electrical element failed";
        case 6:
            return "servo or seek element failed";
        case 7:
            return "read element failed";
        case 8:
            return "handling damage suspected";
        case 15:
            return "in progress";
        default:
            return "reserved status";
    }
}

}  // namespace diag::disk
