#!/usr/bin/env python3
"""Runs a command and prints the peak resident memory of it and every process it started.

Usage: bench/peak_rss.py COMMAND [ARG...]

GNU time reports the peak of the process it waited for, and of the children that process
waited for. diag's tools collect in a child that their parent does not wait for (so a thread
stuck in the kernel cannot hang the caller), so that child's memory would be missed. Here the
wrapper makes itself a child subreaper (prctl PR_SET_CHILD_SUBREAPER, prctl(2)): orphaned
descendants are handed to it, it reaps every one with wait4(2), and reports the largest
ru_maxrss of any of them and their sum (an upper bound when they ran at once).
Prints one line: "peak_rss_kib=MAX sum_rss_kib=SUM processes=N exit=STATUS seconds=WALL".
"""

import ctypes
import os
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        sys.exit("peak_rss: prctl(PR_SET_CHILD_SUBREAPER) failed")
    start = time.monotonic()
    # Output goes to a pipe that is drained, not to /dev/null: GNU grep stops at the first
    # match when it sees /dev/null.
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.close(read_end)
        os.dup2(write_end, 1)
        os.execvp(sys.argv[1], sys.argv[1:])
    os.close(write_end)
    while os.read(read_end, 1 << 16):
        pass
    os.close(read_end)
    peaks = []
    status = None
    while True:
        try:
            waited, wait_status, usage = os.wait4(-1, 0)
        except ChildProcessError:
            break
        peaks.append(usage.ru_maxrss)
        if waited == pid:
            status = os.waitstatus_to_exitcode(wait_status)
    seconds = time.monotonic() - start
    print(f"peak_rss_kib={max(peaks)} sum_rss_kib={sum(peaks)} processes={len(peaks)} "
          f"exit={status} seconds={seconds:.2f}")


if __name__ == "__main__":
    main()
