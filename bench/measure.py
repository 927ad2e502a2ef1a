"""Timing a command as a user runs it: a fresh process, wall clock, its own CPU time and peak
memory, after one untimed warm-up run; and a row that compares it with a baseline measured in
the same run (the machine is shared: medians, and each ratio's spread over its runs)."""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

# as users run it: bytecode caches written (this machine's environment turns them off)
ENV = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONDONTWRITEBYTECODE")}


@dataclass
class Runs:
    seconds: list[float]
    peak_mb: float  # the largest resident set of any timed run
    cpu: list[float] | None = None  # the process's own CPU seconds (user + system), per run

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    def summary(self) -> str:
        s = self.seconds
        return f"{self.median * 1000:.0f} ms ({min(s) * 1000:.0f}-{max(s) * 1000:.0f})"

    def cpu_summary(self) -> str:
        return f", CPU {statistics.median(self.cpu) * 1000:.0f} ms" if self.cpu else ""


def timed(cmd: list[str], repeats: int, cwd: Path, before=None, expect=(0, 1), env=None) -> Runs:
    times, cpu, peak = [], [], 0.0
    for i in range(repeats + 1):
        if before:
            before()
        started = time.perf_counter()
        # stderr to a file, not a pipe: a render of thousands of files says a line for each, which
        # fills a pipe nobody reads before wait4 returns, and the command would block forever
        errors = tempfile.TemporaryFile()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors,
                                env={**ENV, **(env or {})})
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        if i:
            times.append(elapsed)
            cpu.append(usage.ru_utime + usage.ru_stime)
            peak = max(peak, usage.ru_maxrss / 1024)
        if code not in expect:
            errors.seek(0)
            raise RuntimeError(f"{cmd} exited {code}: {errors.read().decode()[-500:]}")
        errors.close()
    return Runs(times, peak, cpu)


@dataclass
class Row:
    """One measurement against its baseline; `key` names it in results.json (for bench/check)."""
    key: str
    label: str
    ours: Runs
    base_label: str
    base: Runs | None = None
    target: float | None = None  # the ratio to stay at or under, when there is one
    limit: float | None = None   # seconds to stay under (the median), when there is such a target

    @property
    def ratio(self) -> float | None:
        return self.ours.median / self.base.median if self.base else None

    def ratio_spread(self) -> str:
        if not self.base:
            return ""
        low = min(self.ours.seconds) / max(self.base.seconds)
        high = max(self.ours.seconds) / min(self.base.seconds)
        return f"{self.ratio:.2f}x ({low:.2f}-{high:.2f})"

    def verdicts(self) -> list[str]:
        out = []
        if self.target is not None and self.base:
            out.append(f"<= {self.target:g}x " + _verdict(self.ratio, self.target))
        if self.limit is not None:
            out.append(f"< {self.limit:g} s " + _verdict(self.ours.median, self.limit))
        return out

    def met(self) -> bool:
        return all(v.endswith("met") for v in self.verdicts())

    def markdown(self) -> str:
        base = f"{self.base_label} {self.base.summary()}" if self.base else self.base_label
        return (f"| {self.label} | {self.ours.summary()}{self.ours.cpu_summary()}, peak {self.ours.peak_mb:.0f} MB "
                f"| {base} | {self.ratio_spread()} | {'; '.join(self.verdicts())} |")


def _verdict(value: float, bound: float) -> str:
    return "met" if value <= bound else f"missed by {value / bound - 1:.0%}"


HEADER = ["| measurement | schemagen | baseline (same run) | ratio (spread) | target |",
          "| --- | --- | --- | --- | --- |"]
