#pragma once

#include <diag/core/issue.hpp>
#include <diag/disk/ata_error_log.hpp>
#include <diag/disk/ata_identify.hpp>
#include <diag/disk/ata_quirks.hpp>
#include <diag/disk/ata_self_test_log.hpp>
#include <diag/disk/ata_smart_data.hpp>
#include <diag/disk/nvme_error_log.hpp>
#include <diag/disk/nvme_health.hpp>
#include <diag/disk/nvme_identify.hpp>
#include <diag/disk/nvme_self_test_log.hpp>
#include <diag/disk/scsi_health.hpp>
#include <diag/disk/smartctl_run.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diag::disk {

/// The command set diag talks to the drive in.
enum class DiskProtocol : std::uint8_t { ata, nvme, scsi };

/// "ata", "nvme", "scsi".
std::string_view to_string(DiskProtocol protocol);

/// Who the drive is. Strings are empty when not known.
struct DiskIdentity {
    /// "/dev/sda"; empty for pages saved without a device name.
    std::string device;
    std::string model;
    std::string serial;
    std::string firmware;
    /// SCSI vendor identification ("SEAGATE"); empty for ATA and NVMe.
    std::string vendor;
    /// smartctl's model family from its drive database, where imported.
    std::string family;
    std::optional<std::uint64_t> capacity_bytes;
    std::optional<std::uint16_t> rotation_rate_rpm;
    /// True for SSDs; absent when the drive does not say.
    std::optional<bool> solid_state;
    /// How the drive is reached: "sat", "usbjmicron", "sat+megaraid,1", "nvme", "scsi".
    std::string transport;
};

/// The drive's own temperature limits, where it reports them.
struct TemperatureLimits {
    std::optional<int> warning_celsius;
    std::optional<int> critical_celsius;
    /// Where the limits come from: "NVMe WCTEMP/CCTEMP", "SCSI drive trip temperature".
    std::string source;
};

/// The ATA part of a record: decoded pages, or the same structures filled by an import.
struct AtaRecord {
    std::optional<AtaIdentify> identify;
    std::optional<AtaSmartData> smart;
    std::optional<AtaSelfTestLog> self_test_log;
    std::optional<AtaErrorLog> error_log;
    /// The quirks that apply to this model and firmware.
    AtaQuirks quirks;
};

/// The NVMe part of a record.
struct NvmeRecord {
    std::optional<NvmeIdentify> identify;
    std::optional<NvmeHealth> health;
    std::optional<NvmeSelfTestLog> self_test_log;
    /// Entries of the Error Information log; absent when the log was not read.
    std::optional<std::vector<NvmeErrorEntry>> errors;
};

/// Everything known about one disk, whichever way it was read: raw pages from a probe or a
/// saved blob, or smartctl JSON. Values not read are absent, never zero.
struct DiskRecord {
    DiskIdentity identity;
    DiskProtocol protocol = DiskProtocol::ata;
    /// SMART RETURN STATUS (ATA), Informational Exceptions (SCSI), or smartctl's
    /// smart_status.passed; absent when unknown.
    std::optional<bool> smart_status_passed;
    std::optional<int> temperature_celsius;
    TemperatureLimits temperature_limits;
    std::optional<std::uint64_t> power_on_hours;
    std::optional<std::uint64_t> power_cycles;
    /// Percentage of rated endurance used, from a standard page: ATA Device Statistics page
    /// 07h, SCSI page 11h. NVMe keeps its own in NvmeHealth.
    std::optional<std::uint8_t> endurance_used_pct;
    std::optional<AtaRecord> ata;
    std::optional<NvmeRecord> nvme;
    std::optional<ScsiHealth> scsi;
    /// Present when the record was imported from smartctl JSON.
    std::optional<SmartctlRun> smartctl;
    /// What went wrong reading or decoding this disk (bad checksums, failed pages).
    std::vector<Issue> issues;
    /// Where the data came from: "raw ATA pages", "smartctl 7.1 JSON".
    std::string origin;

    /// The device name, else "MODEL SERIAL", else "disk": the subject of findings.
    [[nodiscard]] std::string subject() const;
};

}  // namespace diag::disk
