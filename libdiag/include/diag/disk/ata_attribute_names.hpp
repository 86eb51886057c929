#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace diag::disk {

/// A name for a SMART attribute id, in diag's words ("reallocated sectors"). Attribute ids
/// are vendor specific: ATA/ACS reserves the data structure but not the meanings. The names
/// follow the common use recorded in smartmontools' drive database (drivedb.h, its "DEFAULT"
/// entry) and in SFF-8035i; where HDDs and SSDs use an id differently, `solid_state` picks
/// (absent means not known, and the HDD meaning is taken). Unknown ids give "attribute".
std::string_view ata_attribute_name(std::uint8_t id, std::optional<bool> solid_state);

}  // namespace diag::disk
