// Fuzzes the ATA log decoders: the self-test log (06h, ACS-3 Table 136), the summary error log
// (01h, ACS-3 A.8) and the log directory (00h). Invariants: at most 21 self-test and 5 error
// entries; directory entries come in address order, each with pages; a short page is a
// problem for each.

#include "fuzz_disk.hpp"

#include <diag/disk/ata_error_log.hpp>
#include <diag/disk/ata_log_directory.hpp>
#include <diag/disk/ata_self_test_log.hpp>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto page = diag::fuzz::as_page(data, size);
    const auto self_tests = diag::disk::decode_ata_self_test_log(page);
    require(self_tests.value.entries.size() <= 21, "at most 21 self-test entries");
    require(size >= 512 || !self_tests.problems.empty(), "a short self-test log is a problem");
    for (const auto& entry : self_tests.value.entries) {
        (void)entry.failed();
    }
    const auto errors = diag::disk::decode_ata_summary_error_log(page);
    require(errors.value.entries.size() <= 5, "at most 5 error entries");
    require(size >= 512 || !errors.problems.empty(), "a short error log is a problem");

    const auto directory = diag::disk::decode_ata_log_directory(page);
    unsigned previous = 0;
    for (const auto& log : directory.value.logs) {
        require(log.address > previous, "logs in address order, each once");
        require(log.pages > 0, "only logs with pages are listed");
        require(directory.value.pages(log.address) == log.pages, "pages() agrees with the list");
        previous = log.address;
    }
    return 0;
}
