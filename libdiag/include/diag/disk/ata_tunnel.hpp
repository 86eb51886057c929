#pragma once

#include <diag/disk/ata_command.hpp>
#include <diag/disk/page_bytes.hpp>

#include <cstdint>
#include <optional>
#include <vector>

namespace diag::disk {

/// The CDB of ATA PASS-THROUGH (16) (opcode 85h) or (12) (A1h) for a 28-bit command (SAT-3
/// 12.2.2 and 12.2.3): PROTOCOL 3 (non-data) or 4 (PIO data-in), T_DIR from the device,
/// BYTE_BLOCK with T_LENGTH in the count field, and CK_COND when the output registers are
/// wanted.
std::vector<std::uint8_t> sat_cdb(AtaTunnel tunnel, const AtaCommand& command);

/// JMicron USB bridges: vendor opcode DFh, 12 bytes: 10h (read), 00h, the transfer length
/// big-endian, feature, count, LBA low/mid/high, device | A0h (port 0), command. SMART RETURN
/// STATUS reads one byte instead of registers: C2h passed, 2Ch threshold exceeded.
std::vector<std::uint8_t> jmicron_cdb(const AtaCommand& command, std::size_t transfer_bytes);

/// The registers a JMicron SMART RETURN STATUS byte stands for; nullopt for any other byte
/// (some JM20336 bridges always answer 01h).
std::optional<AtaOutput> jmicron_status_output(std::uint8_t status_byte);

/// Sunplus USB bridges: vendor opcode F8h, subcommand 22h (pass through): protocol 00h
/// (non-data) or 10h (data-in), the length in 512-byte sectors, then the registers.
std::vector<std::uint8_t> sunplus_cdb(const AtaCommand& command);

/// Sunplus subcommand 21h: read the 8 register bytes after a command.
std::vector<std::uint8_t> sunplus_registers_cdb();

/// The registers from Sunplus' 8 bytes: 1 error, 2 count, 3-5 LBA low/mid/high, 6 device,
/// 7 status; nullopt when fewer than 8 bytes came.
std::optional<AtaOutput> sunplus_registers(PageBytes bytes);

}  // namespace diag::disk

namespace diag::disk {

/// True when the tunnel can give back the output registers of this command: SAT and Sunplus
/// always; JMicron only SMART RETURN STATUS, as one status byte.
bool tunnel_returns_registers(AtaTunnel tunnel, const AtaCommand& command);

}  // namespace diag::disk
