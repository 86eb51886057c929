#include "diag/disk/ata_tunnel.hpp"

namespace diag::disk {

namespace {

constexpr std::uint8_t kProtocolNonData = 3;
constexpr std::uint8_t kProtocolPioIn = 4;
// SAT-3 12.2.2: byte 2 bits.
constexpr std::uint8_t kCkCond = 0x20;
constexpr std::uint8_t kTDirFromDevice = 0x08;
constexpr std::uint8_t kByteBlock = 0x04;
constexpr std::uint8_t kTLengthInCount = 0x02;
constexpr std::uint8_t kDeviceObsoleteBits = 0xA0;  // port 0, the bits old bridges expect

std::uint8_t flags_byte(const AtaCommand& command) {
    std::uint8_t flags = kTDirFromDevice | kByteBlock;
    if (command.data_in_bytes > 0) {
        flags |= kTLengthInCount;
    }
    if (command.want_output) {
        flags |= kCkCond;
    }
    return flags;
}

}  // namespace

std::vector<std::uint8_t> sat_cdb(AtaTunnel tunnel, const AtaCommand& command) {
    const std::uint8_t protocol = command.data_in_bytes > 0 ? kProtocolPioIn : kProtocolNonData;
    const auto& in = command.in;
    if (tunnel == AtaTunnel::sat12) {
        return {0xA1,
                static_cast<std::uint8_t>(protocol << 1U),
                flags_byte(command),
                in.feature,
                in.count,
                in.lba_low,
                in.lba_mid,
                in.lba_high,
                in.device,
                in.command,
                0x00,
                0x00};
    }
    return {0x85,
            static_cast<std::uint8_t>(protocol << 1U),
            flags_byte(command),
            0x00,
            in.feature,
            0x00,
            in.count,
            0x00,
            in.lba_low,
            0x00,
            in.lba_mid,
            0x00,
            in.lba_high,
            in.device,
            in.command,
            0x00};
}

std::vector<std::uint8_t> jmicron_cdb(const AtaCommand& command, std::size_t transfer_bytes) {
    // TODO(#3): detect the bridge's port (register 720Fh, as smartctl does) instead of
    // assuming the drive is on port 0.
    const auto& in = command.in;
    return {0xDF,
            0x10,
            0x00,
            static_cast<std::uint8_t>(transfer_bytes >> 8U),
            static_cast<std::uint8_t>(transfer_bytes & 0xFFU),
            in.feature,
            in.count,
            in.lba_low,
            in.lba_mid,
            in.lba_high,
            static_cast<std::uint8_t>(in.device | kDeviceObsoleteBits),
            in.command};
}

std::optional<AtaOutput> jmicron_status_output(std::uint8_t status_byte) {
    AtaOutput out;
    if (status_byte == 0xC2) {
        out.lba_mid = 0x4F;
        out.lba_high = 0xC2;
        return out;
    }
    if (status_byte == 0x2C) {
        out.lba_mid = 0xF4;
        out.lba_high = 0x2C;
        return out;
    }
    return std::nullopt;
}

std::vector<std::uint8_t> sunplus_cdb(const AtaCommand& command) {
    const auto& in = command.in;
    return {0xF8,
            0x00,
            0x22,
            static_cast<std::uint8_t>(command.data_in_bytes > 0 ? 0x10 : 0x00),
            static_cast<std::uint8_t>(command.data_in_bytes >> 9U),
            in.feature,
            in.count,
            in.lba_low,
            in.lba_mid,
            in.lba_high,
            static_cast<std::uint8_t>(in.device | kDeviceObsoleteBits),
            in.command};
}

std::vector<std::uint8_t> sunplus_registers_cdb() {
    return {0xF8, 0x00, 0x21, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
}

std::optional<AtaOutput> sunplus_registers(PageBytes bytes) {
    constexpr std::size_t kRegisterBytes = 8;
    if (bytes.size() < kRegisterBytes) {
        return std::nullopt;
    }
    AtaOutput out;
    out.error = bytes[1];
    out.count = bytes[2];
    out.lba_low = bytes[3];
    out.lba_mid = bytes[4];
    out.lba_high = bytes[5];
    out.device = bytes[6];
    out.status = bytes[7];
    return out;
}

}  // namespace diag::disk

namespace diag::disk {

bool tunnel_returns_registers(AtaTunnel tunnel, const AtaCommand& command) {
    if (tunnel != AtaTunnel::usbjmicron) {
        return true;
    }
    return command.in.command == 0xB0 && command.in.feature == 0xDA;
}

}  // namespace diag::disk
