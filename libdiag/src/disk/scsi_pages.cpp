#include "diag/disk/scsi_pages.hpp"

#include "disk/page_reader.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::size_t kLogHeaderBytes = 4;
constexpr std::size_t kParameterHeaderBytes = 4;
constexpr std::uint8_t kNotAvailable = 0xFF;

std::uint64_t read_be(PageBytes bytes, std::size_t offset, std::size_t width) {
    std::uint64_t value = 0;
    for (std::size_t i = 0; i < width; ++i) {
        value = (value << 8U) | detail::u8(bytes, offset + i);
    }
    return value;
}

std::optional<int> celsius(std::uint8_t value) {
    if (value == kNotAvailable) {
        return std::nullopt;
    }
    return static_cast<int>(value);
}

const ScsiLogParameter* find(const std::vector<ScsiLogParameter>& parameters, std::uint16_t code) {
    for (const auto& parameter : parameters) {
        if (parameter.code == code) {
            return &parameter;
        }
    }
    return nullptr;
}

}  // namespace

std::uint64_t ScsiLogParameter::number() const {
    const std::size_t width = std::min<std::size_t>(value.size(), 8);
    return read_be({value.data(), value.size()}, 0, width);
}

Decoded<ScsiInquiry> decode_scsi_inquiry(PageBytes data) {
    constexpr std::size_t kStandardBytes = 36;
    Decoded<ScsiInquiry> out;
    if (data.size() < kStandardBytes) {
        out.add_problem(
            fmt::format("INQUIRY: {} bytes, expected at least {}", data.size(), kStandardBytes));
    }
    out.value.peripheral_type = static_cast<std::uint8_t>(detail::u8(data, 0) & 0x1FU);
    out.value.vendor = detail::ascii_field(data, 8, 8);
    out.value.product = detail::ascii_field(data, 16, 16);
    out.value.revision = detail::ascii_field(data, 32, 4);
    return out;
}

Decoded<std::string> decode_scsi_unit_serial(PageBytes page) {
    Decoded<std::string> out;
    if (page.size() < kLogHeaderBytes || page[1] != 0x80) {
        out.add_problem("INQUIRY VPD 80h: not a Unit Serial Number page");
        return out;
    }
    const std::size_t length = std::min<std::size_t>(page[3], page.size() - kLogHeaderBytes);
    out.value = detail::ascii_field(page, kLogHeaderBytes, length);
    return out;
}

Decoded<std::vector<ScsiLogParameter>> decode_scsi_log_page(PageBytes page,
                                                            std::uint8_t page_code) {
    Decoded<std::vector<ScsiLogParameter>> out;
    if (page.size() < kLogHeaderBytes) {
        out.add_problem(fmt::format("LOG SENSE {:02X}h: {} bytes, shorter than the header",
                                    page_code, page.size()));
        return out;
    }
    if ((page[0] & 0x3FU) != page_code) {
        out.add_problem(fmt::format("LOG SENSE {:02X}h: the drive returned page {:02X}h", page_code,
                                    page[0] & 0x3FU));
        return out;
    }
    const std::size_t declared = read_be(page, 2, 2);
    std::size_t end = kLogHeaderBytes + declared;
    if (end > page.size()) {
        out.add_problem(
            fmt::format("LOG SENSE {:02X}h: page length {} runs past the {} bytes "
                        "returned",
                        page_code, declared, page.size()));
        end = page.size();
    }
    std::size_t offset = kLogHeaderBytes;
    while (offset + kParameterHeaderBytes <= end) {
        ScsiLogParameter parameter;
        parameter.code = static_cast<std::uint16_t>(read_be(page, offset, 2));
        const std::size_t length = page[offset + 3];
        const std::size_t value_at = offset + kParameterHeaderBytes;
        if (value_at + length > end) {
            out.add_problem(
                fmt::format("LOG SENSE {:02X}h: parameter {:04X}h runs past the "
                            "page",
                            page_code, parameter.code));
            break;
        }
        parameter.value.assign(page.begin() + static_cast<std::ptrdiff_t>(value_at),
                               page.begin() + static_cast<std::ptrdiff_t>(value_at + length));
        out.value.push_back(std::move(parameter));
        offset = value_at + length;
    }
    return out;
}

Decoded<std::vector<std::uint8_t>> decode_scsi_supported_pages(PageBytes page) {
    Decoded<std::vector<std::uint8_t>> out;
    if (page.size() < kLogHeaderBytes || (page[0] & 0x3FU) != 0) {
        out.add_problem("LOG SENSE 00h: not a Supported Log Pages page");
        return out;
    }
    const std::size_t end = std::min(page.size(), kLogHeaderBytes + read_be(page, 2, 2));
    for (std::size_t i = kLogHeaderBytes; i < end; ++i) {
        out.value.push_back(static_cast<std::uint8_t>(page[i] & 0x3FU));
    }
    return out;
}

Decoded<ScsiErrorCounters> decode_scsi_error_counters(PageBytes page, std::uint8_t page_code) {
    auto parameters = decode_scsi_log_page(page, page_code);
    Decoded<ScsiErrorCounters> out;
    out.problems = std::move(parameters.problems);
    auto& counters = out.value;
    std::optional<std::uint64_t>* fields[] = {
        &counters.corrected_fast, &counters.corrected_delayed, &counters.corrected_by_retry,
        &counters.total_corrected, &counters.correction_algorithm_runs};
    for (const auto& parameter : parameters.value) {
        if (parameter.code < 5) {
            *fields[parameter.code] = parameter.number();
        } else if (parameter.code == 5) {
            constexpr double kGigabyte = 1e9;
            counters.processed_gigabytes = static_cast<double>(parameter.number()) / kGigabyte;
        } else if (parameter.code == 6) {
            counters.total_uncorrected = parameter.number();
        }
    }
    return out;
}

Decoded<ScsiTemperature> decode_scsi_temperature(PageBytes page) {
    constexpr std::uint8_t kTemperaturePage = 0x0D;
    auto parameters = decode_scsi_log_page(page, kTemperaturePage);
    Decoded<ScsiTemperature> out;
    out.problems = std::move(parameters.problems);
    // Both parameters: byte 4 reserved, byte 5 the value (bytes counted from the parameter).
    if (const auto* current = find(parameters.value, 0x0000);
        current && current->value.size() >= 2) {
        out.value.current_celsius = celsius(current->value[1]);
    }
    if (const auto* reference = find(parameters.value, 0x0001);
        reference && reference->value.size() >= 2) {
        out.value.reference_celsius = celsius(reference->value[1]);
    }
    return out;
}

Decoded<std::optional<ScsiInformationalExceptions>> decode_scsi_informational_exceptions(
    PageBytes page) {
    constexpr std::uint8_t kInformationalExceptionsPage = 0x2F;
    auto parameters = decode_scsi_log_page(page, kInformationalExceptionsPage);
    Decoded<std::optional<ScsiInformationalExceptions>> out;
    out.problems = std::move(parameters.problems);
    const auto* general = find(parameters.value, 0x0000);
    if (general == nullptr || general->value.size() < 2) {
        out.add_problem("LOG SENSE 2Fh: no general parameter (0000h) with ASC and ASCQ");
        return out;
    }
    ScsiInformationalExceptions ie;
    ie.asc = general->value[0];
    ie.ascq = general->value[1];
    if (general->value.size() >= 3) {
        ie.temperature_celsius = celsius(general->value[2]);
    }
    out.value = ie;
    return out;
}

Decoded<std::optional<std::uint8_t>> decode_scsi_ssd_endurance(PageBytes page) {
    constexpr std::uint8_t kSolidStateMediaPage = 0x11;
    auto parameters = decode_scsi_log_page(page, kSolidStateMediaPage);
    Decoded<std::optional<std::uint8_t>> out;
    out.problems = std::move(parameters.problems);
    if (const auto* used = find(parameters.value, 0x0001); used && used->value.size() >= 4) {
        out.value = used->value[3];
    }
    return out;
}

Decoded<std::optional<std::uint64_t>> decode_scsi_grown_defects(PageBytes header) {
    Decoded<std::optional<std::uint64_t>> out;
    if (header.size() < kLogHeaderBytes) {
        out.add_problem(fmt::format("READ DEFECT DATA: {} bytes, shorter than the 4-byte header",
                                    header.size()));
        return out;
    }
    if ((header[1] & 0x08U) == 0) {
        out.add_problem("READ DEFECT DATA: the drive says its grown defect list is not valid");
        return out;
    }
    const unsigned format = header[1] & 0x07U;
    std::uint64_t descriptor_bytes = 0;
    switch (format) {
        case 0:  // short block
            descriptor_bytes = 4;
            break;
        case 3:  // long block
        case 4:  // bytes from index
        case 5:  // physical sector
            descriptor_bytes = 8;
            break;
        default:
            out.add_problem(
                fmt::format("READ DEFECT DATA: list format {} is not one diag can "
                            "count",
                            format));
            return out;
    }
    out.value = read_be(header, 2, 2) / descriptor_bytes;
    return out;
}

namespace {

void add_problems(DiskRecord& record, const std::vector<std::string>& problems) {
    for (const auto& problem : problems) {
        record.issues.push_back({IssueLevel::error, "decode", record.subject(), problem, ""});
    }
}

template <class T, class Decode>
std::optional<T> decoded_page(const std::optional<std::vector<std::uint8_t>>& page,
                              DiskRecord& record, Decode decode) {
    if (!page) {
        return std::nullopt;
    }
    auto decoded = decode(page_bytes(*page));
    add_problems(record, decoded.problems);
    return std::move(decoded.value);
}

void read_scsi_identity(const ScsiPages& pages, DiskRecord& record) {
    if (auto inquiry = decoded_page<ScsiInquiry>(pages.inquiry, record, decode_scsi_inquiry)) {
        record.identity.vendor = inquiry->vendor;
        record.identity.model = inquiry->product;
        record.identity.firmware = inquiry->revision;
    }
    if (auto serial =
            decoded_page<std::string>(pages.unit_serial, record, decode_scsi_unit_serial)) {
        record.identity.serial = *serial;
    }
}

}  // namespace

DiskRecord build_scsi_record(const ScsiPages& pages, std::string device) {
    DiskRecord record;
    record.protocol = DiskProtocol::scsi;
    record.identity.device = std::move(device);
    record.identity.transport = "scsi";
    record.origin = "raw SCSI pages";
    read_scsi_identity(pages, record);
    ScsiHealth scsi;
    if (auto ie = decoded_page<std::optional<ScsiInformationalExceptions>>(
            pages.informational_exceptions, record, decode_scsi_informational_exceptions);
        ie && *ie) {
        scsi.ie_asc = (*ie)->asc;
        scsi.ie_ascq = (*ie)->ascq;
        record.smart_status_passed = (*ie)->asc == 0;
        record.temperature_celsius = (*ie)->temperature_celsius;
    }
    if (auto temperature =
            decoded_page<ScsiTemperature>(pages.temperature, record, decode_scsi_temperature)) {
        if (temperature->current_celsius) {
            record.temperature_celsius = temperature->current_celsius;
        }
        if (temperature->reference_celsius) {
            record.temperature_limits.critical_celsius = temperature->reference_celsius;
            record.temperature_limits.source =
                "SCSI drive trip temperature (temperature log page 0Dh)";
        }
    }
    auto counters = [&](const std::optional<std::vector<std::uint8_t>>& page, std::uint8_t code) {
        return decoded_page<ScsiErrorCounters>(page, record, [code](PageBytes bytes) {
            return decode_scsi_error_counters(bytes, code);
        });
    };
    scsi.write = counters(pages.write_errors, 0x02);
    scsi.read = counters(pages.read_errors, 0x03);
    scsi.verify = counters(pages.verify_errors, 0x05);
    if (auto used = decoded_page<std::optional<std::uint8_t>>(pages.ssd_media, record,
                                                              decode_scsi_ssd_endurance)) {
        scsi.endurance_used_pct = *used;
        record.endurance_used_pct = *used;
    }
    if (auto defects = decoded_page<std::optional<std::uint64_t>>(pages.defect_header, record,
                                                                  decode_scsi_grown_defects)) {
        scsi.grown_defects = *defects;
    }
    record.scsi = scsi;
    return record;
}

}  // namespace diag::disk
