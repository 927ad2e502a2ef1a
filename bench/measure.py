"""Timing a command as a user runs it: a fresh process, wall clock, its own CPU time and peak
memory, after one untimed warm-up run; and a row that compares it with a baseline measured in
the same run (the machine is shared: medians, and each ratio's spread over its runs)."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

SPAWN = Path(__file__).with_name("spawn.py")
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
        elapsed, seconds, rss, code, errors = _spawned(cmd, cwd, {**ENV, **(env or {})})
        if i:
            times.append(elapsed)
            cpu.append(seconds)
            peak = max(peak, rss / 1024)
        if code not in expect:
            raise RuntimeError(f"{cmd} exited {code}: {errors[-500:]}")
    return Runs(times, peak, cpu)


def _spawned(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, int, int, str]:
    """(wall seconds, CPU seconds, peak kB, exit code, stderr) of one run, started by bench/spawn.py."""
    read, write = os.pipe()
    # stderr to a file, not a pipe: a render of thousands of files says a line for each, which
    # fills a pipe nobody reads before the command ends, and the command would block forever
    with tempfile.TemporaryFile() as errors:
        try:
            subprocess.run([sys.executable, "-I", "-S", str(SPAWN), str(write), *cmd], cwd=cwd, env=env,
                           stdout=subprocess.DEVNULL, stderr=errors, pass_fds=(write,), check=True)
        finally:
            os.close(write)
            with os.fdopen(read) as result:
                report = result.read()
        errors.seek(0)
        elapsed, seconds, rss, code = report.split()
        return float(elapsed), float(seconds), int(rss), int(code), errors.read().decode(errors="replace")


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
