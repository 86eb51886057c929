// Fuzzes decode_ata_smart_data and decode_ata_smart_thresholds (SFF-8035i layouts): the input
// is cut in two, data then thresholds. Invariants: at most 30 attributes, none with id 0; a
// failed checksum marks every attribute untrusted and is a problem; a threshold applies only
// to the attribute with its id.

#include "fuzz_disk.hpp"

#include <diag/disk/ata_smart_data.hpp>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::size_t half = size / 2;
    auto smart = diag::disk::decode_ata_smart_data(diag::fuzz::as_page(data, half));
    const auto thresholds =
        diag::disk::decode_ata_smart_thresholds(diag::fuzz::as_page(data + half, size - half));
    require(smart.value.attributes.size() <= 30, "at most 30 attribute entries");
    for (const auto& attribute : smart.value.attributes) {
        require(attribute.id != 0, "unused entries are left out");
        require(attribute.trusted == smart.value.checksum_valid, "trust follows the page checksum");
        require(attribute.raw48() < (std::uint64_t{1} << 48U), "raw48 has 48 bits");
        (void)diag::disk::threshold_state(attribute);
    }
    require(smart.value.checksum_valid || !smart.problems.empty(), "a bad checksum is a problem");
    require(thresholds.value.entries.size() <= 30, "at most 30 threshold entries");

    diag::disk::apply_thresholds(smart.value, thresholds.value);
    for (const auto& attribute : smart.value.attributes) {
        if (!attribute.threshold) {
            continue;
        }
        bool matched = false;
        for (const auto& entry : thresholds.value.entries) {
            matched =
                matched || (entry.id == attribute.id && entry.threshold == *attribute.threshold);
        }
        require(matched, "a threshold comes from the entry with the same id");
    }
    return 0;
}
