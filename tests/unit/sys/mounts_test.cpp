// mountinfo: Documentation/filesystems/proc.rst 3.5; fstab: fstab(5). The lines below are my
// own, shaped like those of a Debian 12 box (the shared data has no mountinfo or fstab).

#include <diag/sys/mounts.hpp>

#include <catch2/catch.hpp>

TEST_CASE("mountinfo: fields, optional fields and super options are decoded") {
    const auto table = diag::sys::parse_mountinfo(
        "22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw,errors=remount-ro\n"
        "36 22 0:32 / /boot/efi rw,nosuid master:3 shared:17 - vfat /dev/vda15 "
        "rw,fmask=0022\n"
        "40 22 8:17 /export /srv ro,relatime - xfs /dev/sdb1 ro,attr2,inode64\n");
    CHECK(table.skipped == 0);
    REQUIRE(table.mounts.size() == 3);

    const auto& root = table.mounts[0];
    CHECK(root.mount_id == 22);
    CHECK(root.parent_id == 1);
    CHECK(root.major == 254);
    CHECK(root.minor == 1);
    CHECK(root.root == "/");
    CHECK(root.mount_point == "/");
    CHECK(root.mount_options == "rw,relatime");
    CHECK(root.fs_type == "ext4");
    CHECK(root.source == "/dev/vda1");
    CHECK(root.super_options == "rw,errors=remount-ro");
    CHECK(root.has_super_option("errors=remount-ro"));
    CHECK_FALSE(root.has_super_option("errors"));
    CHECK_FALSE(root.has_super_option("ro"));

    // Two optional fields before the separator.
    const auto& efi = table.mounts[1];
    CHECK(efi.mount_point == "/boot/efi");
    CHECK(efi.fs_type == "vfat");
    CHECK(efi.source == "/dev/vda15");
    CHECK(efi.super_options == "rw,fmask=0022");

    const auto& srv = table.mounts[2];
    CHECK(srv.root == "/export");
    CHECK(srv.has_mount_option("ro"));
    CHECK(srv.has_super_option("ro"));
    CHECK(srv.has_super_option("inode64"));
}

TEST_CASE("mountinfo: octal escapes in paths are undone") {
    const auto table = diag::sys::parse_mountinfo(
        "50 22 8:33 / /mnt/my\\040disk\\011tab rw - ext4 /dev/disk\\134x rw\n");
    REQUIRE(table.mounts.size() == 1);
    CHECK(table.mounts[0].mount_point == "/mnt/my disk\ttab");
    CHECK(table.mounts[0].source == "/dev/disk\\x");
}

TEST_CASE("mountinfo: short or malformed lines are counted, the rest still read") {
    const auto table = diag::sys::parse_mountinfo(
        "22 1 254:1 / / rw - ext4 /dev/vda1 rw\n"
        "23 1 254:1 / /x rw shared:1\n"
        "x 1 254:1 / /y rw - ext4 /dev/vda2 rw\n"
        "24 1 2541 / /z rw - ext4 /dev/vda3 rw\n"
        "\n"
        "25 22 0:5 / /dev rw - devtmpfs udev\n");
    CHECK(table.skipped == 3);
    REQUIRE(table.mounts.size() == 2);
    CHECK(table.mounts[0].mount_point == "/");
    // The super options field may be missing on old kernels; the line still counts.
    CHECK(table.mounts[1].mount_point == "/dev");
    CHECK(table.mounts[1].super_options.empty());
}

TEST_CASE("fstab: entries with comments, blank lines, escapes and default options") {
    const auto fstab = diag::sys::parse_fstab(
        "# /etc/fstab: static file system information.\n"
        "\n"
        "UUID=1234-abcd /               ext4    errors=remount-ro 0       1\n"
        "/dev/sdb1      /mnt/my\\040disk xfs     ro,nofail         0 2\n"
        "   # indented comment\n"
        "tmpfs /tmp tmpfs\n"
        "broken-line\n");
    REQUIRE(fstab.size() == 3);
    CHECK(fstab[0].spec == "UUID=1234-abcd");
    CHECK(fstab[0].mount_point == "/");
    CHECK(fstab[0].fs_type == "ext4");
    CHECK(fstab[0].options == "errors=remount-ro");
    CHECK(fstab[1].mount_point == "/mnt/my disk");
    CHECK(diag::sys::has_option(fstab[1].options, "ro"));
    CHECK(fstab[2].options == "defaults");
}

TEST_CASE("mount options: has_option matches whole comma-separated options only") {
    CHECK(diag::sys::has_option("rw,relatime", "rw"));
    CHECK(diag::sys::has_option("rw,relatime", "relatime"));
    CHECK_FALSE(diag::sys::has_option("rw,relatime", "ro"));
    CHECK_FALSE(diag::sys::has_option("rwx", "rw"));
    CHECK_FALSE(diag::sys::has_option("", "ro"));
    CHECK(diag::sys::unescape_octal("a\\040b\\999c\\04") == "a b\\999c\\04");
}
