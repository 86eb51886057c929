// The ATA tunnels' CDBs and the sense decoding against the exact bytes of the ticket-1070 SAT
// trace (smartctl 6.2 on libata, transcribed in sat-passthrough-vectors.json).

#include "unit/disk/disk_test_data.hpp"

#include <diag/disk/ata_pages.hpp>
#include <diag/disk/ata_tunnel.hpp>
#include <diag/disk/command_result.hpp>
#include <diag/disk/scsi_commands.hpp>
#include <diag/disk/scsi_sense.hpp>

#include <sstream>

#include <catch2/catch.hpp>

using nlohmann::json;

namespace {

std::vector<std::uint8_t> hex(const std::string& text) {
    std::istringstream in(text);
    std::vector<std::uint8_t> bytes;
    std::string item;
    while (in >> item) {
        bytes.push_back(static_cast<std::uint8_t>(std::stoul(item, nullptr, 16)));
    }
    return bytes;
}

json vectors() {
    const auto dir =
        diag::test::require_shared_data("smart/raw/ata-sat-trace-ticket1070-intel-ssdsc2kb019t7r");
    return diag::test::read_json(dir / "sat-passthrough-vectors.json");
}

}  // namespace

TEST_CASE("sat: ATA PASS-THROUGH (16) CDBs are byte for byte the ones smartctl sent") {
    using namespace diag::disk;
    const auto v = vectors();
    const auto cdb = [&](const char* key) {
        return hex(v[key]["cdb_ata_pass_through_16"].get<std::string>());
    };
    CHECK(sat_cdb(AtaTunnel::sat16, ata_identify()) == cdb("identify_device"));
    CHECK(sat_cdb(AtaTunnel::sat16, ata_smart_read_data()) == cdb("smart_read_data"));
    CHECK(sat_cdb(AtaTunnel::sat16, ata_smart_read_thresholds()) == cdb("smart_read_thresholds"));
    CHECK(sat_cdb(AtaTunnel::sat16, ata_smart_read_log(0x00, 1)) ==
          cdb("smart_read_log_directory"));
    CHECK(sat_cdb(AtaTunnel::sat16, ata_smart_read_log(0x06, 1)) == cdb("smart_read_log_selftest"));
    CHECK(sat_cdb(AtaTunnel::sat16, ata_smart_return_status()) == cdb("smart_return_status"));
}

TEST_CASE("sat: the 12-byte CDB carries the same registers in SAT-3's (12) places") {
    using namespace diag::disk;
    CHECK(sat_cdb(AtaTunnel::sat12, ata_smart_read_log(0x06, 1)) ==
          std::vector<std::uint8_t>{0xA1, 0x08, 0x0E, 0xD5, 0x01, 0x06, 0x4F, 0xC2, 0x00, 0xB0,
                                    0x00, 0x00});
    CHECK(sat_cdb(AtaTunnel::sat12, ata_check_power_mode()) ==
          std::vector<std::uint8_t>{0xA1, 0x06, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xE5,
                                    0x00, 0x00});
}

TEST_CASE("sat: the standard INQUIRY CDB is the one smartctl sent") {
    CHECK(diag::disk::scsi_inquiry().cdb == hex(vectors()["inquiry"]["cdb"].get<std::string>()));
}

TEST_CASE("sat: RETURN STATUS's descriptor sense gives registers 4Fh/C2h and counts as success") {
    using namespace diag::disk;
    const auto sense_bytes =
        hex(vectors()["smart_return_status"]["sense_buffer_22"].get<std::string>());
    const auto sense = decode_sense(page_bytes(sense_bytes));
    REQUIRE(sense.has_value());
    CHECK(sense->key == 0x01);
    CHECK(is_ata_information_only(*sense));
    REQUIRE(sense->ata.has_value());
    CHECK(sense->ata->lba_mid == 0x4F);
    CHECK(sense->ata->lba_high == 0xC2);
    CHECK(sense->ata->status == 0x50);

    CommandResult result;
    result.sense = sense_bytes;
    finish_ata_result(result);
    CHECK(result.ok());
    CHECK(decode_smart_return_status(result.ata->lba_mid, result.ata->lba_high) ==
          std::optional<bool>(true));
}

TEST_CASE("sat: an aborted READ LOG is a failure that names ABRT, not a missing tunnel") {
    using namespace diag::disk;
    CommandResult result;
    result.sense =
        hex(vectors()["smart_read_log_selective_09_failed"]["sense_buffer_22"].get<std::string>());
    finish_ata_result(result);
    CHECK(result.status == CommandStatus::failed);
    REQUIRE(result.ata.has_value());
    CHECK(result.ata->status == 0x51);
    CHECK(result.ata->error == 0x04);
    CHECK(result.reason == "ATA status 51h error 04h (ABRT: the drive aborted the command)");
    CHECK_FALSE(is_not_supported(result));
}

TEST_CASE("sat: fixed-format sense with 00h/1Dh carries the registers too") {
    using namespace diag::disk;
    // SAT-3 Table 178 layout: error 00h, status 50h, device 40h, count FFh; LBA 0/4Fh/C2h.
    const std::vector<std::uint8_t> fixed{0x70, 0x00, 0x01, 0x00, 0x50, 0x40, 0xFF, 0x0A, 0x00,
                                          0x00, 0x4F, 0xC2, 0x00, 0x1D, 0x00, 0x00, 0x00, 0x00};
    const auto sense = decode_sense(page_bytes(fixed));
    REQUIRE(sense.has_value());
    REQUIRE(sense->ata.has_value());
    CHECK(sense->ata->count == 0xFF);
    CHECK(sense->ata->lba_mid == 0x4F);
    CHECK(sense->ata->lba_high == 0xC2);
    CHECK(sense->ata->status == 0x50);
    CHECK(describe(*sense) == "sense key 1h (RECOVERED ERROR), ASC/ASCQ 00h/1Dh");
}

TEST_CASE("sat: invalid operation code means the tunnel is not there") {
    using namespace diag::disk;
    CommandResult result;
    result.sense = {0x70, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x0A, 0x00,
                    0x00, 0x00, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00};
    finish_ata_result(result);
    CHECK(result.status == CommandStatus::failed);
    CHECK(is_not_supported(result));
    CHECK(result.reason == "sense key 5h (ILLEGAL REQUEST), ASC/ASCQ 20h/00h");
}

TEST_CASE("sat: USB bridge commands follow the JMicron and Sunplus layouts") {
    using namespace diag::disk;
    CHECK(jmicron_cdb(ata_identify(), 512) == std::vector<std::uint8_t>{0xDF, 0x10, 0x00, 0x02,
                                                                        0x00, 0x00, 0x01, 0x00,
                                                                        0x00, 0x00, 0xA0, 0xEC});
    CHECK(jmicron_status_output(0xC2)->lba_mid == 0x4F);
    CHECK(jmicron_status_output(0x2C)->lba_high == 0x2C);
    CHECK_FALSE(jmicron_status_output(0x01).has_value());
    CHECK_FALSE(tunnel_returns_registers(AtaTunnel::usbjmicron, ata_check_power_mode()));
    CHECK(tunnel_returns_registers(AtaTunnel::usbjmicron, ata_smart_return_status()));
    CHECK(sunplus_cdb(ata_smart_read_data()) == std::vector<std::uint8_t>{0xF8, 0x00, 0x22, 0x10,
                                                                          0x01, 0xD0, 0x01, 0x00,
                                                                          0x4F, 0xC2, 0xA0, 0xB0});
    const std::vector<std::uint8_t> registers{0x00, 0x00, 0xFF, 0x00, 0x4F, 0xC2, 0xA0, 0x50};
    CHECK(sunplus_registers(page_bytes(registers))->count == 0xFF);
}
