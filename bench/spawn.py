"""Run one command and write its wall time, CPU time, peak memory and exit code to a file
descriptor: `python -I -S bench/spawn.py FD command...`.

The bench process has a large resident set once it has rendered thousands of tables, and a child
it forks carries that high-water mark through exec (the kernel keeps the old process's peak), so
every later row would report it. This small process starts the command instead: the peak then
reported is the command's, or this process's own (about 10 MB) when the command stays under it."""

import os
import sys
import time


def main() -> None:
    fd, cmd = int(sys.argv[1]), sys.argv[2:]
    started = time.perf_counter()
    pid = os.posix_spawnp(cmd[0], cmd, os.environ)
    _, status, usage = os.wait4(pid, 0)
    elapsed = time.perf_counter() - started
    os.write(fd, f"{elapsed} {usage.ru_utime + usage.ru_stime} {usage.ru_maxrss} "
                 f"{os.waitstatus_to_exitcode(status)}".encode())


main()
