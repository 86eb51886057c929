// Fuzzes the NVMe page decoders (NVMe Base Specification 2.0): Identify Controller, SMART /
// Health log 02h, Device Self-test log 06h, Error Information log 01h. Invariants: short pages
// are problems; identity strings are clean and fit their fields; at most 20 self-test
// results, none with result Fh (unused); one error entry per 64 bytes at most.

#include "fuzz_disk.hpp"

#include <diag/disk/nvme_error_log.hpp>
#include <diag/disk/nvme_health.hpp>
#include <diag/disk/nvme_identify.hpp>
#include <diag/disk/nvme_self_test_log.hpp>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto page = diag::fuzz::as_page(data, size);
    const auto identify = diag::disk::decode_nvme_identify(page);
    require(diag::fuzz::is_clean_field(identify.value.serial, 20), "serial fits bytes 4-23");
    require(diag::fuzz::is_clean_field(identify.value.model, 40), "model fits bytes 24-63");
    require(diag::fuzz::is_clean_field(identify.value.firmware, 8), "firmware fits bytes 64-71");
    require(size >= 4096 || !identify.problems.empty(), "a short Identify is a problem");

    const auto health = diag::disk::decode_nvme_health(page);
    require(size >= 512 || !health.problems.empty(), "a short health log is a problem");
    if (health.value.critical_warning) {
        for (const auto& bit : diag::disk::nvme_critical_warnings(*health.value.critical_warning)) {
            require(bit.bit < 8, "critical warning bits are 0-7");
        }
    }

    const auto self_tests = diag::disk::decode_nvme_self_test_log(page);
    require(self_tests.value.results.size() <= 20, "at most 20 self-test results");
    for (const auto& result : self_tests.value.results) {
        require(result.result != 0x0F, "unused entries are left out");
    }

    const auto errors = diag::disk::decode_nvme_error_log(page);
    require(errors.value.size() <= size / 64, "at most one entry per 64 bytes");
    return 0;
}
