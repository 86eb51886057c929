#pragma once

#include <diag/disk/device_access.hpp>

namespace diag::disk {

/// Finishes an ATA command's result from its sense bytes, the same way for the real and the
/// recorded access: decodes the ATA registers the sense carries, treats "ATA PASS THROUGH
/// INFORMATION AVAILABLE" (what CK_COND asks for) as success, and any other sense, or ERR in
/// the returned ATA status, as failure with a reason that names it.
void finish_ata_result(CommandResult& result);

/// Finishes a SCSI command's result from its sense bytes: any sense other than RECOVERED
/// ERROR is a failure whose reason is the decoded sense.
void finish_scsi_result(CommandResult& result);

/// "ATA status 51h error 04h (ABRT: the drive aborted the command)".
std::string describe_ata_error(const AtaOutput& output);

/// True when a failure means the command itself is not understood on this path (ILLEGAL
/// REQUEST with invalid operation code 20h/00h or invalid field in CDB 24h/00h, or an
/// errno of EINVAL/ENOTTY/EOPNOTSUPP): the tunnel or the page is not there, not a fault.
bool is_not_supported(const CommandResult& result);

}  // namespace diag::disk
