#!/bin/sh
# Installs diag from this unpacked tarball: ./install.sh [--prefix DIR] (default /usr/local),
# or ./install.sh --uninstall [--prefix DIR] to remove what it installed. The list of installed
# files is kept in PREFIX/share/diag/installed-files, so uninstall removes exactly those.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
prefix=/usr/local
uninstall=false
while [ $# -gt 0 ]; do
    case $1 in
        --prefix) prefix=$2; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --uninstall) uninstall=true; shift ;;
        -h | --help)
            echo "usage: $0 [--prefix DIR] [--uninstall]"
            exit 0
            ;;
        *)
            echo "install.sh: unknown argument '$1'" >&2
            exit 64
            ;;
    esac
done
list="$prefix/share/diag/installed-files"

if $uninstall; then
    if [ ! -f "$list" ]; then
        echo "install.sh: $list not found: nothing installed under $prefix" >&2
        exit 1
    fi
    while IFS= read -r file; do
        rm -f -- "$prefix/$file"
    done <"$list"
    rm -f -- "$list"
    echo "diag removed from $prefix"
    exit 0
fi

if [ -d /run/systemd/system ] && [ "$prefix" != /usr ]; then
    echo "note: the systemd units are under $prefix/lib/systemd/system; link them into" \
        "/etc/systemd/system to use them" >&2
fi
mkdir -p "$prefix/share/diag"
tmp_list=$(mktemp "$prefix/share/diag/.installed-files.XXXXXX")
cd "$here"
# Every file of the tree but this script, copied with its mode; directories made as needed.
find bin share lib -type f | sort | while IFS= read -r file; do
    mkdir -p "$prefix/$(dirname "$file")"
    cp -p -- "$file" "$prefix/$file.diag-new"
    mv -f -- "$prefix/$file.diag-new" "$prefix/$file"
    echo "$file" >>"$tmp_list"
done
chmod 0644 "$tmp_list"
mv -f -- "$tmp_list" "$list"
echo "diag installed under $prefix ($(wc -l <"$list") files); try: $prefix/bin/diag-report"
