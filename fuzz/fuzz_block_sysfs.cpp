// Fuzzes the text decoders of discovery: /sys/block/DEV/stat (Documentation/block/stat.rst),
// the udev database (/run/udev/data) with its \xNN escapes, and the transport rules on a
// device name and path. Invariants: stat needs 11 numbers; each udev property comes from an
// E: line; unescaping never grows the text; an sd number is inside the static majors.

#include "fuzz_check.hpp"

#include <diag/disk/block_device.hpp>
#include <diag/disk/udev_properties.hpp>

using diag::fuzz::require;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto text = diag::fuzz::as_text(data, size);
    if (const auto stat = diag::disk::parse_block_stat(text)) {
        require(!text.empty(), "a stat needs numbers");
    }
    const auto properties = diag::disk::parse_udev_data(text);
    for (const auto& [key, value] : properties) {
        require(!key.empty() && key.find('=') == std::string::npos, "a key has no '='");
        require(text.find("E:" + key + "=") != std::string_view::npos, "each key from an E: line");
        require(diag::disk::udev_unescape(value).size() <= value.size(), "unescaping shrinks");
    }
    const auto newline = text.find('\n');
    const auto name = text.substr(0, std::min(newline, text.size()));
    const auto path =
        newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
    (void)diag::disk::classify_block_device(name, path, "", properties);
    const auto numbers = diag::disk::sd_major_minor(name);
    require(numbers.empty() || name.starts_with("sd"), "only sd names have static numbers");
    const auto resolved = diag::disk::resolve_link("/sys/block", path);
    require(resolved.starts_with('/'), "a resolved link is absolute");
    require(resolved.find("/../") == std::string::npos && !resolved.ends_with("/.."),
            "no .. is left");
    (void)diag::disk::usb_device_dir(path);
    return 0;
}
