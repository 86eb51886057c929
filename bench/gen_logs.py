#!/usr/bin/env python3
"""Writes a directory of mixed, made-up logs for bench/logs.sh.

Usage: bench/gen_logs.py DIR SIZE_MB [CATALOGUE]

DIR gets four files in the formats diag-logs reads (rsyslog's ISO syslog, kern.log in the same
format, nginx's error.log and Apache 2.4's error_log) whose sizes add up to SIZE_MB megabytes
(10^6 bytes), and patterns.ere: the catalogue's patterns (libdiag/src/logs/rule_catalogue.txt)
rewritten as POSIX extended regular expressions for `grep -cE -f`, with how many could not be
rewritten printed on stderr. About one line in a thousand is a rule's own sample message, so
the classifiers have something to find; the rest is routine traffic. The output is the same
for the same arguments (a fixed random seed).
"""

import os
import random
import re
import sys

ROUTINE_SYSLOG = [
    ("sshd", "Accepted publickey for deploy from 198.51.100.{a} port {p} ssh2: ED25519 SHA256:x{b}"),
    ("sshd", "pam_unix(sshd:session): session opened for user deploy(uid=1000) by (uid=0)"),
    ("CRON", "(root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)"),
    ("systemd", "Started session-{b}.scope - Session {b} of User deploy."),
    ("systemd", "logrotate.service: Deactivated successfully."),
    ("postfix/smtpd", "connect from mail{a}.example.net[203.0.113.{a}]"),
    ("dhclient", "DHCPACK of 10.0.{a}.{b} from 10.0.0.1"),
    ("app", "request id={p} user={b} took {a} ms status=200 path=/api/v1/items/{p}"),
]
ROUTINE_KERNEL = [
    "audit: type=1400 audit({p}.{a}:{b}): apparmor=\"ALLOWED\" operation=\"open\" profile=\"x\"",
    "IPv6: ADDRCONF(NETDEV_CHANGE): veth{b}: link becomes ready",
    "br-{b}: port {a}(veth{p}) entered forwarding state",
    "usb 1-{a}: new high-speed USB device number {b} using xhci_hcd",
    "TCP: tcp_parse_options: Illegal window scaling value {a} > 14 received",
    "EXT4-fs (sda{a}): mounted filesystem with ordered data mode. Quota mode: none.",
]
ROUTINE_NGINX = [
    "*{p} open() \"/srv/www/favicon{a}.ico\" failed (2: No such file or directory), client: "
    "198.51.100.{a}, server: shop.example, request: \"GET /favicon{a}.ico HTTP/1.1\", host: "
    "\"shop.example\"",
    "*{p} client {a} closed keepalive connection",
    "*{p} limiting requests, excess: 0.{a} by zone \"api\", client: 203.0.113.{b}, server: "
    "api.example, request: \"POST /v1/orders HTTP/2.0\", host: \"api.example\"",
]
ROUTINE_APACHE = [
    "[core:info] [pid {p}:tid {b}] [client 198.51.100.{a}:{p}] AH00128: File does not exist: "
    "/var/www/html/robots{a}.txt",
    "[ssl:info] [pid {p}:tid {b}] [client 203.0.113.{a}:{p}] AH01964: Connection to child {a} "
    "established (server www.example:443)",
    "[authz_core:debug] [pid {p}:tid {b}] mod_authz_core.c(815): [client 198.51.100.{a}:{p}] "
    "AH01626: authorization result of Require all granted: granted",
]
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def read_catalogue(path):
    rules = []
    rule = None
    with open(path, encoding="utf-8") as text:
        for line in text:
            line = line.strip()
            if line.startswith("[") and line.endswith("]"):
                rule = {"id": line[1:-1]}
                rules.append(rule)
            elif rule is not None and "=" in line and not line.startswith("#"):
                key, value = line.split("=", 1)
                rule[key.strip()] = value.strip()
    return rules


def to_ere(pattern):
    """The pattern as a POSIX ERE that matches anywhere in a line; None when it cannot be."""
    if re.search(r"\(\?[=!<]", pattern):
        return None
    out = pattern[1:] if pattern.startswith("^") else pattern
    out = out.replace("(?:", "(")
    out = re.sub(r"([+*?}])\?", r"\1", out)  # lazy quantifiers match the same lines
    out = out.replace(r"\d", "[0-9]").replace(r"\w", "[[:alnum:]_]").replace(r"\S", "[^[:space:]]")
    out = out.replace(r"\s", "[[:space:]]")
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    out_dir = sys.argv[1]
    total_bytes = int(float(sys.argv[2]) * 1_000_000)
    here = os.path.dirname(os.path.abspath(__file__))
    catalogue = sys.argv[3] if len(sys.argv) > 3 else os.path.join(
        here, "..", "libdiag", "src", "logs", "rule_catalogue.txt")
    rules = read_catalogue(catalogue)
    os.makedirs(out_dir, exist_ok=True)

    skipped = 0
    with open(os.path.join(out_dir, "patterns.ere"), "w", encoding="utf-8") as ere:
        for rule in rules:
            converted = to_ere(rule["pattern"])
            if converted is None:
                skipped += 1
            else:
                ere.write(converted + "\n")
    print(f"gen_logs: {len(rules) - skipped} of {len(rules)} patterns as ERE", file=sys.stderr)

    samples = {"kern.log": [], "syslog": [], "nginx_error.log": [], "apache_error.log": []}
    for rule in rules:
        program = rule.get("program", "")
        if program == "kernel":
            samples["kern.log"].append(rule["sample"])
        elif program == "nginx":
            samples["nginx_error.log"].append(rule["sample"])
        elif program:
            samples["syslog"].append((program, rule["sample"]))
        else:
            samples["apache_error.log"].append(rule["sample"])

    rng = random.Random(7)
    shares = {"syslog": 0.4, "kern.log": 0.2, "nginx_error.log": 0.2, "apache_error.log": 0.2}
    for name, share in shares.items():
        write_file(os.path.join(out_dir, name), name, int(total_bytes * share), samples[name], rng)


def write_file(path, kind, size, samples, rng):
    written = 0
    micro = 1710000000 * 1000000
    buffer = []
    buffered = 0
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        while written < size:
            micro += rng.randrange(20000)
            second = micro // 1000000
            values = {"a": rng.randrange(256), "b": rng.randrange(100000),
                      "p": rng.randrange(1, 65535)}
            event = samples and rng.random() < 0.001
            line = make_line(kind, second, micro % 1000000, values, samples if event else None, rng)
            buffer.append(line)
            buffered += len(line)
            if buffered > 1 << 20:
                chunk = "".join(buffer)
                out.write(chunk)
                written += len(chunk.encode("utf-8"))
                buffer.clear()
                buffered = 0
        if buffer:
            out.write("".join(buffer))


def iso(second, micro):
    days, rest = divmod(second - 1704067200, 86400)  # from 2024-01-01
    month_days = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    month = 0
    while days >= month_days[month]:
        days -= month_days[month]
        month += 1
    hour, rest = divmod(rest, 3600)
    minute, sec = divmod(rest, 60)
    return 2024, month + 1, days + 1, hour, minute, sec, micro


def make_line(kind, second, micro, values, samples, rng):
    y, mo, d, h, mi, s, us = iso(second, micro)
    if kind in ("syslog", "kern.log"):
        stamp = f"{y}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}.{us:06}+00:00"
        if kind == "kern.log":
            message = rng.choice(samples) if samples else rng.choice(ROUTINE_KERNEL).format(**values)
            return f"{stamp} web1 kernel: [{second - 1709990000}.{us:06}] {message}\n"
        if samples:
            program, message = rng.choice(samples)
            return f"{stamp} web1 {program}[{values['p']}]: {message}\n"
        program, message = rng.choice(ROUTINE_SYSLOG)
        return f"{stamp} web1 {program}[{values['p']}]: {message.format(**values)}\n"
    if kind == "nginx_error.log":
        message = rng.choice(samples) if samples else rng.choice(ROUTINE_NGINX).format(**values)
        level = "error" if samples else rng.choice(["info", "warn", "error", "notice"])
        return (f"{y}/{mo:02}/{d:02} {h:02}:{mi:02}:{s:02} [{level}] {values['p']}#0: "
                f"{message}\n")
    weekday = WEEKDAYS[(second // 86400 + 3) % 7]
    stamp = f"[{weekday} {MONTHS[mo - 1]} {d:02} {h:02}:{mi:02}:{s:02}.{us:06} {y}]"
    if samples:
        return f"{stamp} [mpm_event:error] [pid {values['p']}:tid {values['b']}] {rng.choice(samples)}\n"
    return f"{stamp} {rng.choice(ROUTINE_APACHE).format(**values)}\n"


if __name__ == "__main__":
    main()
