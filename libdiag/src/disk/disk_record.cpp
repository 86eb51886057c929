#include "diag/disk/disk_record.hpp"

namespace diag::disk {

std::string_view to_string(DiskProtocol protocol) {
    switch (protocol) {
        case DiskProtocol::nvme:
            return "nvme";
        case DiskProtocol::scsi:
            return "scsi";
        case DiskProtocol::ata:
            break;
    }
    return "ata";
}

std::string DiskRecord::subject() const {
    if (!identity.device.empty()) {
        return identity.device;
    }
    std::string name = identity.model;
    if (!identity.serial.empty()) {
        name += name.empty() ? identity.serial : " " + identity.serial;
    }
    return name.empty() ? "disk" : name;
}

}  // namespace diag::disk
