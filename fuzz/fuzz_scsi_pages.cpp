// Fuzzes the SCSI decoders: INQUIRY and VPD 80h (SPC-5 6.7, 7.7.19), log pages (SPC-5 7.3:
// supported pages, error counters, temperature, informational exceptions, SBC-4 solid state
// media) and the READ DEFECT DATA header (SBC-4 5.11). The first byte picks the log page code
// the decoders expect. Invariants: parameters fit in the page; strings are clean; the
// informational exceptions give a status only with a general parameter; a defect count only
// with GLISTV set.

#include "fuzz_disk.hpp"

#include <diag/disk/scsi_pages.hpp>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size == 0) {
        return 0;
    }
    const auto code = static_cast<std::uint8_t>(data[0] & 0x3FU);
    const auto page = diag::fuzz::as_page(data + 1, size - 1);

    const auto inquiry = diag::disk::decode_scsi_inquiry(page);
    require(diag::fuzz::is_clean_field(inquiry.value.vendor, 8), "vendor fits bytes 8-15");
    require(diag::fuzz::is_clean_field(inquiry.value.product, 16), "product fits bytes 16-31");
    require(diag::fuzz::is_clean_field(inquiry.value.revision, 4), "revision fits bytes 32-35");
    const auto serial = diag::disk::decode_scsi_unit_serial(page);
    require(diag::fuzz::is_clean_field(serial.value, 255), "serial is clean");

    const auto parameters = diag::disk::decode_scsi_log_page(page, code);
    std::size_t used = 4;
    for (const auto& parameter : parameters.value) {
        used += 4 + parameter.value.size();
        require(parameter.value.size() <= 255, "a parameter holds at most 255 bytes");
    }
    require(parameters.value.empty() || used <= page.size(), "parameters fit in the page");

    const auto supported = diag::disk::decode_scsi_supported_pages(page);
    require(supported.value.size() + 4 <= std::max<std::size_t>(page.size(), 4),
            "one page code per byte");
    (void)diag::disk::decode_scsi_error_counters(page, code);
    (void)diag::disk::decode_scsi_temperature(page);
    (void)diag::disk::decode_scsi_ssd_endurance(page);
    const auto ie = diag::disk::decode_scsi_informational_exceptions(page);
    require(ie.value.has_value() || !ie.problems.empty(), "no status without a problem saying why");

    const auto defects = diag::disk::decode_scsi_grown_defects(page);
    if (defects.value) {
        require(page.size() >= 4 && (page[1] & 0x08U) != 0, "a count needs GLISTV");
        require(*defects.value <= 0xFFFF / 4, "the count comes from a 16-bit length");
    }
    return 0;
}
