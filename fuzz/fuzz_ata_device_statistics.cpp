// Fuzzes decode_ata_device_statistics (Device Statistics log 04h, ACS-3 9.10). Invariants: a
// log that is not whole pages is a problem; a value is only read from a page that says it is
// that page (byte 2) with bits 63 and 62 set.

#include "fuzz_disk.hpp"

#include <diag/disk/ata_device_statistics.hpp>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto decoded = diag::disk::decode_ata_device_statistics(diag::fuzz::as_page(data, size));
    require(size % 512 == 0 || !decoded.problems.empty(), "partial pages are a problem");
    bool page1 = false;
    bool page7 = false;
    for (std::size_t at = 0; at + 512 <= size; at += 512) {
        page1 = page1 || data[at + 2] == 0x01;
        page7 = page7 || (data[at + 2] == 0x07 && (data[at + 15] & 0xC0U) == 0xC0U);
    }
    require(page1 || !decoded.value.power_on_hours, "hours only from page 01h");
    require(page7 || !decoded.value.endurance_used_pct, "endurance only from a valid 07h");
    if (decoded.value.power_on_hours) {
        require(*decoded.value.power_on_hours <= 0xFFFFFFFFULL, "hours are 32 bits");
    }
    return 0;
}
