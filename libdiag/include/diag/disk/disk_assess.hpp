#pragma once

#include <diag/core/report.hpp>
#include <diag/disk/disk_record.hpp>

#include <vector>

namespace diag::disk {

/// Judges one disk by its evidence, whatever read it (pages or smartctl JSON). Each check with
/// data adds a finding, ok included, and counts as assessed; a check without data adds
/// nothing. Check ids:
///   disk.smart.status_failed          SMART RETURN STATUS / SCSI informational exceptions
///   disk.smart.threshold_failed       a vendor threshold reached now or in the past
///   disk.smart.reallocated            ATA 5
///   disk.smart.pending                ATA 197
///   disk.smart.offline_uncorrectable  ATA 198
///   disk.smart.reported_uncorrectable ATA 187
///   disk.smart.command_timeout        ATA 188 (Seagate's packed counters unpacked)
///   disk.smart.crc_errors             ATA 199: the link (cable, backplane), not the medium
///   disk.smart.error_log              the ATA error log, its entries sorted link / media
///   disk.selftest.failed              a failed self-test, with its LBA
///   disk.nvme.critical_warning        one finding per Critical Warning bit set, by name
///   disk.nvme.media_errors            NVMe Media and Data Integrity Errors
///   disk.ssd.wear                     endurance used (NVMe, ATA statistics, vendor attributes)
///   disk.ssd.spare                    NVMe available spare against the drive's threshold
///   disk.scsi.grown_defects           SCSI grown defect list, even when the drive says OK
///   disk.scsi.uncorrected_errors      SCSI read/write/verify uncorrected errors
///   disk.temperature                  against the drive's own limits, else defaults
/// Each finding names its source. The record's Issues are copied into the report. Metrics are
/// diag_smart_* with labels device, model and serial; perfdata DEV_temperature,
/// DEV_reallocated, DEV_pending and DEV_wear. Thresholds and reasons are in diag-smart(1).
Report assess_disk(const DiskRecord& record);

/// assess_disk for each record, merged.
Report assess_disks(const std::vector<DiskRecord>& records);

}  // namespace diag::disk
