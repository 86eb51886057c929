#include "diag/disk/nvme_self_test_log.hpp"

#include "disk/page_reader.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kPageBytes = 564;
constexpr std::size_t kResults = 20;
constexpr std::size_t kResultBytes = 28;
constexpr std::size_t kFirstResult = 4;
constexpr std::uint8_t kUnused = 0x0F;

NvmeSelfTestResult read_result(PageBytes r) {
    NvmeSelfTestResult result;
    result.code = static_cast<std::uint8_t>(static_cast<unsigned>(r[0]) >> 4U);
    result.result = static_cast<std::uint8_t>(static_cast<unsigned>(r[0]) & 0x0FU);
    result.segment = r[1];
    result.valid_info = r[2];
    result.power_on_hours = detail::le64(r, 4);
    if ((static_cast<unsigned>(result.valid_info) & 0x01U) != 0) {
        result.nsid = detail::le32(r, 12);
    }
    if ((static_cast<unsigned>(result.valid_info) & 0x02U) != 0) {
        result.failing_lba = detail::le64(r, 16);
    }
    return result;
}

}  // namespace

std::string_view nvme_self_test_code_name(std::uint8_t code) {
    switch (code) {
        case 0x1:
            return "short";
        case 0x2:
            return "extended";
        case 0xE:
            return "vendor";
        default:
            return "reserved";
    }
}

Decoded<NvmeSelfTestLog> decode_nvme_self_test_log(PageBytes page) {
    Decoded<NvmeSelfTestLog> out;
    if (page.size() < kPageBytes) {
        out.add_problem(
            fmt::format("NVMe Device Self-test log: {} bytes, expected {}; only "
                        "whole results were read",
                        page.size(), kPageBytes));
    }
    out.value.current_operation =
        static_cast<std::uint8_t>(static_cast<unsigned>(detail::u8(page, 0)) & 0x0FU);
    out.value.current_completion_pct =
        static_cast<std::uint8_t>(static_cast<unsigned>(detail::u8(page, 1)) & 0x7FU);
    for (std::size_t i = 0; i < kResults; ++i) {
        const std::size_t at = kFirstResult + i * kResultBytes;
        if (at + kResultBytes > page.size()) {
            break;
        }
        const auto result = read_result(page.subspan(at, kResultBytes));
        if (result.result != kUnused) {
            out.value.results.push_back(result);
        }
    }
    return out;
}

}  // namespace diag::disk
