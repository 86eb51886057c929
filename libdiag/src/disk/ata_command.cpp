#include "diag/disk/ata_command.hpp"

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::uint8_t kSmart = 0xB0;
// SMART commands carry this signature in LBA mid/high (ACS-3 7.44.1).
constexpr std::uint8_t kSmartLbaMid = 0x4F;
constexpr std::uint8_t kSmartLbaHigh = 0xC2;
constexpr std::size_t kPageBytes = 512;

AtaCommand smart(std::string name, std::uint8_t feature, std::size_t bytes, bool want_output) {
    AtaCommand command;
    command.name = std::move(name);
    command.in.command = kSmart;
    command.in.feature = feature;
    command.in.lba_mid = kSmartLbaMid;
    command.in.lba_high = kSmartLbaHigh;
    command.in.count = bytes == 0 ? 0 : static_cast<std::uint8_t>(bytes / kPageBytes);
    command.data_in_bytes = bytes;
    command.want_output = want_output;
    return command;
}

}  // namespace

std::string_view to_string(AtaTunnel tunnel) {
    switch (tunnel) {
        case AtaTunnel::sat16:
            return "sat16";
        case AtaTunnel::sat12:
            return "sat12";
        case AtaTunnel::usbjmicron:
            return "usbjmicron";
        case AtaTunnel::usbsunplus:
            return "usbsunplus";
    }
    return "sat16";
}

AtaCommand ata_identify() {
    AtaCommand command;
    command.name = "ata-identify";
    command.in.command = 0xEC;
    command.in.count = 1;
    command.data_in_bytes = kPageBytes;
    return command;
}

AtaCommand ata_check_power_mode() {
    AtaCommand command;
    command.name = "ata-check-power-mode";
    command.in.command = 0xE5;
    command.want_output = true;
    return command;
}

AtaCommand ata_smart_read_data() {
    return smart("ata-smart-read-data", 0xD0, kPageBytes, false);
}

AtaCommand ata_smart_read_thresholds() {
    auto command = smart("ata-smart-read-thresholds", 0xD1, kPageBytes, false);
    // ATA-3 (X3T13/2008D) 8.39.5.4 puts 01h in the Sector Number (LBA low) register.
    command.in.lba_low = 1;
    return command;
}

AtaCommand ata_smart_return_status() {
    return smart("ata-smart-return-status", 0xDA, 0, true);
}

AtaCommand ata_smart_read_log(std::uint8_t address, std::uint8_t pages) {
    auto command = smart(fmt::format("ata-smart-read-log-{:02x}", address), 0xD5,
                         std::size_t{pages} * kPageBytes, false);
    command.in.lba_low = address;
    return command;
}

AtaPowerMode decode_power_mode(std::uint8_t count) {
    if (count == 0x00) {
        return AtaPowerMode::standby;
    }
    if (count >= 0x80 && count <= 0x83) {
        return AtaPowerMode::idle;
    }
    if (count == 0xFF) {
        return AtaPowerMode::active_or_idle;
    }
    return AtaPowerMode::unknown;
}

std::string_view to_string(AtaPowerMode mode) {
    switch (mode) {
        case AtaPowerMode::standby:
            return "standby";
        case AtaPowerMode::idle:
            return "idle";
        case AtaPowerMode::active_or_idle:
            return "active or idle";
        case AtaPowerMode::unknown:
            break;
    }
    return "unknown";
}

}  // namespace diag::disk
