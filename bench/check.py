"""`python -m bench.check`: a quick run (small sizes, few repeats) whose ratios are compared with
those recorded in the committed bench/RESULTS.md; exit 1 when any ratio regressed by more than 50%.
Run by hand (it is timing, so not part of `make test`)."""

from __future__ import annotations

import subprocess
import sys

from .run import BIN, ROOT, apply_speed, cli_speed, committed_ratios, diff_speed

ALLOWED = 1.5  # a ratio may grow by half before it counts as a regression


def main() -> int:
    committed = committed_ratios()
    if not committed:
        print("bench/RESULTS.md records no ratios: run `make bench` first", file=sys.stderr)
        return 2
    server = subprocess.run([str(BIN / "schemagen"), "dev", "up"], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout.strip()
    rows = cli_speed(3, []) + diff_speed(server, 3, [10]) + apply_speed(server, 3, [])
    worst = 0
    for row in rows:
        if row.ratio is None or row.key not in committed:
            continue
        change = row.ratio / committed[row.key]
        flag = "REGRESSED" if change > ALLOWED else "ok"
        worst = max(worst, change)
        print(f"{flag:9} {row.key:28} {row.ratio:.2f}x now, {committed[row.key]:.2f}x committed ({change:.2f})")
    if worst > ALLOWED:
        print(f"a ratio grew by more than {ALLOWED - 1:.0%} against bench/RESULTS.md", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
