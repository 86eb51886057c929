// Raw-value rules, attribute names, the self-test hour wrap and the summary error log.

#include "unit/disk/disk_test_data.hpp"

#include <diag/disk/ata_attribute_names.hpp>
#include <diag/disk/ata_error_log.hpp>
#include <diag/disk/ata_pages.hpp>
#include <diag/disk/ata_raw_value.hpp>
#include <diag/disk/ata_self_test_log.hpp>
#include <diag/disk/skblob.hpp>

#include <numeric>

#include <catch2/catch.hpp>

using diag::disk::AtaAttribute;
using diag::disk::page_bytes;
using diag::disk::RawRule;

namespace {

AtaAttribute attribute_with_raw(std::uint8_t id, std::uint64_t raw48) {
    AtaAttribute attribute;
    attribute.id = id;
    for (std::size_t i = 0; i < attribute.raw.size(); ++i) {
        attribute.raw[i] = static_cast<std::uint8_t>(raw48 >> (8U * i));
    }
    return attribute;
}

diag::disk::DiskRecord blob_record(const std::string& name) {
    const auto dir = diag::test::require_shared_data("smart/raw/ata-libatasmart-blobs");
    const auto bytes = diag::test::read_bytes(dir / (name + ".skblob"));
    return diag::disk::build_ata_record(diag::disk::ata_pages_from_skblob(page_bytes(bytes)).value,
                                        "");
}

// Sets byte 511 so that the page sums to 0 mod 256.
void seal(std::vector<std::uint8_t>& page) {
    const unsigned sum = std::accumulate(page.begin(), page.end() - 1, 0U);
    page[511] = static_cast<std::uint8_t>((0x100U - (sum & 0xFFU)) & 0xFFU);
}

}  // namespace

TEST_CASE("raw: Seagate's packed 188 0x000C000C000C is 12 command timeouts, not 51 billion") {
    const auto attribute = attribute_with_raw(188, 0x000C000C000CULL);
    REQUIRE(attribute.raw48() == 51540393996ULL);
    const auto reading = diag::disk::read_raw(attribute, {});
    CHECK(reading.rule == RawRule::low16);
    CHECK(reading.count == std::optional<std::uint64_t>(12));
    CHECK(reading.packed);
}

TEST_CASE("raw: Seagate composite 1, 7 and 195 are never read as error counts") {
    for (const int id : {1, 7, 195}) {
        INFO("attribute " << id);
        const auto reading =
            diag::disk::read_raw(attribute_with_raw(static_cast<std::uint8_t>(id), 239307048), {});
        CHECK(reading.rule == RawRule::vendor_rate);
        CHECK_FALSE(reading.count.has_value());
    }
}

TEST_CASE("raw: 194 gives byte 0 as Celsius, with min and max only where they bracket it") {
    // HGST layout, bytes 2 and 4: "25 (Min/Max 19/39)" in smartctl.
    const auto hgst = diag::disk::read_raw(attribute_with_raw(194, 167504969753ULL), {});
    CHECK(hgst.celsius == std::optional<int>(25));
    CHECK(hgst.min_celsius == std::optional<int>(19));
    CHECK(hgst.max_celsius == std::optional<int>(39));
    // Seagate Exos X16: smartctl prints "26 (0 23 0 0 0)", no plausible pair.
    const auto seagate = diag::disk::read_raw(attribute_with_raw(194, 98784247834ULL), {});
    CHECK(seagate.celsius == std::optional<int>(26));
    CHECK_FALSE(seagate.min_celsius.has_value());
    // Negative minimum as a signed byte: FUJITSU 0085000B "34 (Min/Max -1/47)".
    const auto fujitsu = diag::disk::read_raw(attribute_with_raw(194, 206158364706ULL), {});
    CHECK(fujitsu.celsius == std::optional<int>(34));
    CHECK(fujitsu.min_celsius == std::optional<int>(-1));
    CHECK(fujitsu.max_celsius == std::optional<int>(47));
}

TEST_CASE("raw: 5 and 196 take the low 16 bits, as smartctl's raw16(raw16) shows them") {
    // Fujitsu 5: raw48 8589934592000 = 0x07D000000000, smartctl "0 (2000 0)".
    const auto fujitsu = diag::disk::read_raw(attribute_with_raw(5, 8589934592000ULL), {});
    CHECK(fujitsu.count == std::optional<std::uint64_t>(0));
    CHECK(fujitsu.packed);
    const auto plain = diag::disk::read_raw(attribute_with_raw(5, 1975), {});
    CHECK(plain.count == std::optional<std::uint64_t>(1975));
    CHECK_FALSE(plain.packed);
}

TEST_CASE("raw: the Fujitsu MHY2xx0BH 0085000B quirk reads 197 and 198 from their low 16 bits") {
    const auto record = blob_record("FUJITSU_MHY2120BH--0085000B");
    const auto& quirks = record.ata->quirks;
    REQUIRE_FALSE(quirks.source.empty());
    const auto pending = diag::disk::read_raw(*record.ata->smart->find(197), quirks);
    const auto offline = diag::disk::read_raw(*record.ata->smart->find(198), quirks);
    CHECK(record.ata->smart->find(197)->raw48() == 120173136838658ULL);
    CHECK(pending.count == std::optional<std::uint64_t>(2));
    CHECK(offline.count == std::optional<std::uint64_t>(3));
    CHECK(pending.packed);
    // The same model on firmware 0084000D has no quirk and plain zeros.
    const auto other = blob_record("FUJITSU_MHY2120BH--0084000D");
    CHECK(other.ata->quirks.source.empty());
    CHECK(diag::disk::read_raw(*other.ata->smart->find(197), other.ata->quirks).count ==
          std::optional<std::uint64_t>(0));
}

TEST_CASE("raw: 197 and 198 stay raw48 without a quirk, so a large count is not cut down") {
    const auto reading = diag::disk::read_raw(attribute_with_raw(197, 0x10008ULL), {});
    CHECK(reading.rule == RawRule::raw48);
    CHECK(reading.count == std::optional<std::uint64_t>(0x10008ULL));
}

TEST_CASE("raw: an attribute whose format a quirk marks unknown gives no count") {
    const auto record = blob_record("MCCOE64GEMPP--2.9.09");
    const auto reading = diag::disk::read_raw(*record.ata->smart->find(5), record.ata->quirks);
    CHECK(reading.rule == RawRule::unknown);
    CHECK_FALSE(reading.count.has_value());
}

TEST_CASE("raw: power-on time follows the model's unit (minutes, half minutes, hours)") {
    CHECK(blob_record("Maxtor_96147H8--BAC51KJ0").power_on_hours ==
          std::optional<std::uint64_t>(121017 / 60));
    CHECK(blob_record("SAMSUNG_MP0804H--UE100-14").power_on_hours ==
          std::optional<std::uint64_t>(557429 / 120));
    // Seagate ST9100821AS: raw24(raw8), hours in bytes 0-2 and other data above.
    CHECK(blob_record("ST9100821AS--3.CME").power_on_hours == std::optional<std::uint64_t>(4377));
}

TEST_CASE("names: attribute ids have diag's names, SSD meanings where they differ") {
    CHECK(diag::disk::ata_attribute_name(5, std::nullopt) == "reallocated sectors");
    CHECK(diag::disk::ata_attribute_name(199, false) == "interface CRC errors");
    CHECK(diag::disk::ata_attribute_name(177, true) == "wear leveling count");
    CHECK(diag::disk::ata_attribute_name(177, false) == "vendor attribute");
    CHECK(diag::disk::ata_attribute_name(6, true) == "vendor attribute");
    CHECK(diag::disk::ata_attribute_name(99, std::nullopt) == "attribute");
}

TEST_CASE("self-test log: 16-bit hours that wrapped are unwrapped from the power-on hours") {
    // The JMicron Hitachi at 65592 power-on hours logged 42, 18, 4, then 65530.
    std::vector<diag::disk::AtaSelfTestEntry> entries(4);
    const std::array<std::uint16_t, 4> logged{42, 18, 4, 65530};
    for (std::size_t i = 0; i < entries.size(); ++i) {
        entries[i].hours_logged = logged[i];
    }
    diag::disk::unwrap_self_test_hours(entries, 65592);
    CHECK(entries[0].lifetime_hours == std::optional<std::uint64_t>(65578));
    CHECK(entries[2].lifetime_hours == std::optional<std::uint64_t>(65540));
    CHECK(entries[3].lifetime_hours == std::optional<std::uint64_t>(65530));
    // A drive younger than its log's newest stamp (a reset clock) keeps the logged value.
    diag::disk::unwrap_self_test_hours(entries, 10);
    CHECK(entries[0].lifetime_hours == std::optional<std::uint64_t>(42));
}

TEST_CASE("self-test log: a ring with index 2 reads entry 2, then 1, then the tail, newest first") {
    // Built for this test: three descriptors, the newest at index 2 (slot 1), an extended test
    // that failed reading at LBA 0x0123456 in slot 0, and an older short test in slot 20.
    std::vector<std::uint8_t> page(512, 0);
    page[0] = 1;
    auto put = [&](std::size_t slot, std::uint8_t type, std::uint8_t status, std::uint16_t hours,
                   std::uint32_t lba) {
        const std::size_t at = 2 + slot * 24;
        page[at] = type;
        page[at + 1] = status;
        page[at + 2] = static_cast<std::uint8_t>(hours);
        page[at + 3] = static_cast<std::uint8_t>(hours >> 8U);
        for (std::size_t i = 0; i < 4; ++i) {
            page[at + 5 + i] = static_cast<std::uint8_t>(lba >> (8U * i));
        }
    };
    put(1, 1, 0x00, 300, 0);
    put(0, 2, 0x79, 200, 0x0123456);
    put(20, 1, 0x00, 100, 0);
    page[508] = 2;
    seal(page);
    const auto log = diag::disk::decode_ata_self_test_log(page_bytes(page));
    CHECK(log.problems.empty());
    REQUIRE(log.value.entries.size() == 3);
    CHECK(log.value.entries[0].hours_logged == 300);
    CHECK(log.value.entries[1].failed());
    CHECK(log.value.entries[1].test_kind() == 2);
    CHECK(log.value.entries[1].failing_lba == std::optional<std::uint64_t>(0x0123456));
    CHECK(diag::disk::self_test_status_text(log.value.entries[1].status_byte) ==
          "read element failed");
    CHECK(log.value.entries[2].hours_logged == 100);
    CHECK_FALSE(log.value.entries[0].failing_lba.has_value());
}

TEST_CASE("error log: the summary log gives the count and sorts entries into link and media") {
    // Built for this test from the HGST's newest entry as smartctl decoded it (error 0x84 ICRC
    // ABRT, status 0x51, LBA 0x07ffaa67, 15760 hours) and a UNC read error before it.
    std::vector<std::uint8_t> page(512, 0);
    page[0] = 1;
    page[1] = 2;  // the newest structure is the second
    auto put = [&](std::size_t slot, std::uint8_t error, std::uint32_t lba, std::uint16_t hours) {
        const std::size_t at = 2 + slot * 90 + 60;
        page[at + 1] = error;
        page[at + 2] = 25;
        page[at + 3] = static_cast<std::uint8_t>(lba);
        page[at + 4] = static_cast<std::uint8_t>(lba >> 8U);
        page[at + 5] = static_cast<std::uint8_t>(lba >> 16U);
        page[at + 6] = static_cast<std::uint8_t>(0x40U | ((lba >> 24U) & 0x0FU));
        page[at + 7] = 0x51;
        page[at + 27] = 3;
        page[at + 28] = static_cast<std::uint8_t>(hours);
        page[at + 29] = static_cast<std::uint8_t>(hours >> 8U);
    };
    put(1, 0x84, 0x07FFAA67, 15760);
    put(0, 0x40, 0x00001000, 15000);
    page[452] = 12;
    seal(page);
    const auto log = diag::disk::decode_ata_summary_error_log(page_bytes(page));
    CHECK(log.problems.empty());
    CHECK(log.value.error_count == 12);
    REQUIRE(log.value.entries.size() == 2);
    CHECK(log.value.entries[0].lba == 0x07FFAA67U);
    CHECK(log.value.entries[0].hours_logged == 15760);
    CHECK(log.value.entries[0].kind() == diag::disk::AtaErrorKind::interface_crc);
    CHECK(log.value.entries[1].kind() == diag::disk::AtaErrorKind::media);

    page[100] ^= 0xFFU;
    const auto broken = diag::disk::decode_ata_summary_error_log(page_bytes(page));
    CHECK_FALSE(broken.value.checksum_valid);
    CHECK(broken.problems.size() == 1);
    CHECK(broken.value.entries.size() == 2);
}
