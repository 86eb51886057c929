#include "diag/disk/nvme_error_log.hpp"

#include "disk/page_reader.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kEntryBytes = 64;

}  // namespace

Decoded<std::vector<NvmeErrorEntry>> decode_nvme_error_log(PageBytes page) {
    Decoded<std::vector<NvmeErrorEntry>> out;
    if (page.size() % kEntryBytes != 0) {
        out.add_problem(
            fmt::format("NVMe Error Information log: {} bytes is not a whole number "
                        "of {}-byte entries; the last {} bytes were not read",
                        page.size(), kEntryBytes, page.size() % kEntryBytes));
    }
    for (std::size_t at = 0; at + kEntryBytes <= page.size(); at += kEntryBytes) {
        const auto e = page.subspan(at, kEntryBytes);
        NvmeErrorEntry entry;
        entry.error_count = detail::le64(e, 0);
        if (entry.error_count == 0) {
            continue;
        }
        entry.submission_queue_id = detail::le16(e, 8);
        entry.command_id = detail::le16(e, 10);
        entry.status_field = detail::le16(e, 12);
        entry.parameter_error_location = detail::le16(e, 14);
        entry.lba = detail::le64(e, 16);
        entry.nsid = detail::le32(e, 24);
        out.value.push_back(entry);
    }
    return out;
}

}  // namespace diag::disk
