#pragma once

#include <diag/core/collected.hpp>
#include <diag/core/root.hpp>
#include <diag/disk/block_device.hpp>

#include <string_view>
#include <vector>

namespace diag::disk {

/// Every whole disk under /sys/block of the root, sorted by name, with its transport, identity
/// (model, serial, firmware from sysfs, else from the udev database in /run/udev/data),
/// capacity, partitions, md/dm membership (holders/, slaves/, md/dev-*) and the kernel's I/O
/// counters (device/ioerr_cnt, stat). Each device of a kind without SMART (virtio, xen, loop,
/// dm, md, zram, nbd, ...) adds one info Issue saying why. An unreadable /sys/block is an
/// Issue and an empty list; a file missing for one device leaves that value absent.
Collected<std::vector<BlockDevice>> discover_block_devices(const Root& root);

/// The same for one device name ("sda" or "/dev/sda"); an Issue when /sys/block has no such
/// device.
Collected<std::vector<BlockDevice>> discover_named_devices(const Root& root,
                                                           const std::vector<std::string>& names);

/// The info Issue for a device without SMART: operation "probe SMART", reason
/// "no SMART (virtio): a virtio disk: ...".
Issue no_smart_issue(const BlockDevice& device);

}  // namespace diag::disk
