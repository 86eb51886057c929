#include "diag/disk/command_result.hpp"

#include "diag/disk/scsi_sense.hpp"

#include <cerrno>

#include <fmt/format.h>

namespace diag::disk {

namespace {

constexpr std::uint8_t kIllegalRequest = 0x05;
constexpr std::uint8_t kAbrt = 0x04;

}  // namespace

std::string describe_ata_error(const AtaOutput& output) {
    std::string text = fmt::format("ATA status {:02X}h error {:02X}h", output.status, output.error);
    if ((output.error & kAbrt) != 0) {
        text += " (ABRT: the drive aborted the command)";
    }
    return text;
}

void finish_ata_result(CommandResult& result) {
    if (result.status != CommandStatus::ok || result.sense.empty()) {
        if (result.ok() && result.ata && result.ata->failed()) {
            result.status = CommandStatus::failed;
            result.reason = describe_ata_error(*result.ata);
        }
        return;
    }
    const auto sense = decode_sense(page_bytes(result.sense));
    if (!sense) {
        result.status = CommandStatus::failed;
        result.reason = "CHECK CONDITION with sense data in an unknown format";
        return;
    }
    if (sense->ata) {
        result.ata = sense->ata;
    }
    if (result.ata && result.ata->failed()) {
        result.status = CommandStatus::failed;
        result.reason = describe_ata_error(*result.ata);
        return;
    }
    if (!is_ata_information_only(*sense)) {
        result.status = CommandStatus::failed;
        result.reason = describe(*sense);
    }
}

void finish_scsi_result(CommandResult& result) {
    if (result.status != CommandStatus::ok || result.sense.empty()) {
        return;
    }
    const auto sense = decode_sense(page_bytes(result.sense));
    if (!sense) {
        result.status = CommandStatus::failed;
        result.reason = "CHECK CONDITION with sense data in an unknown format";
        return;
    }
    if (sense->key != 0x01 && sense->key != 0x00) {
        result.status = CommandStatus::failed;
        result.reason = describe(*sense);
    }
}

bool is_not_supported(const CommandResult& result) {
    if (result.status != CommandStatus::failed) {
        return false;
    }
    if (result.errno_value == EINVAL || result.errno_value == ENOTTY ||
        result.errno_value == EOPNOTSUPP) {
        return true;
    }
    if (result.sense.empty()) {
        return false;
    }
    const auto sense = decode_sense(page_bytes(result.sense));
    return sense && sense->key == kIllegalRequest && sense->ascq == 0x00 &&
           (sense->asc == 0x20 || sense->asc == 0x24);
}

}  // namespace diag::disk
