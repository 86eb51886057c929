#pragma once

#include <diag/core/issue.hpp>
#include <diag/disk/disk_record.hpp>
#include <diag/disk/smartctl_run.hpp>

#include <optional>
#include <string_view>
#include <vector>

namespace diag::disk {

/// What a `smartctl --json` file held: one disk, or none (an open that failed, a `--scan`
/// listing, something that is not smartctl output), with Issues saying why.
struct SmartctlImport {
    /// The disk, filled into the same record the page decoders fill; absent when the file
    /// has no device data.
    std::optional<DiskRecord> disk;
    /// Problems of the file or of the smartctl run: parse errors, smartctl's error messages,
    /// a trimmed file. A disk's own problems are on disk->issues.
    std::vector<Issue> issues;
    /// The smartctl object; absent for a trimmed file without one.
    std::optional<SmartctlRun> run;
};

/// Reads smartctl JSON output (json_format_version 1, smartctl 6.x to 7.5). `origin` names
/// the input in messages (a file name). Understood: identity (both SCSI key sets:
/// vendor/product/model_name/revision of 7.0-7.2 and 7.5, scsi_vendor/scsi_product/
/// scsi_model_name/scsi_revision of 7.3-7.4), smart_status, temperature and the drive's
/// limits, power-on time, ata_smart_attributes with raw values and raw strings,
/// ata_smart_data, ata_smart_self_test_log and ata_smart_error_log (standard/summary and
/// extended), ata_device_statistics page 7, nvme_smart_health_information_log,
/// nvme_self_test_log, scsi_grown_defect_list, scsi_error_counter_log, smartctl.messages
/// and exit_status. Never throws; what does not parse becomes an Issue.
SmartctlImport import_smartctl_json(std::string_view text, std::string_view origin);

}  // namespace diag::disk
