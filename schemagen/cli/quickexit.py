"""The console script's way out: what the interpreter does at exit that a command's user can see
(non-daemon threads finished, atexit handlers, output flushed), then the process ends without
tearing the interpreter down. Freeing every object one by one took a diff of 100 tables a
sixth of a second, longer than some whole commands; the operating system frees them at once."""

from __future__ import annotations

import gc
import os
import sys

# a command allocates many objects and frees few before it ends: full collections at the default
# pace (every 700 allocations) scan the imported modules again and again and find almost nothing
GC_THRESHOLDS = (10_000, 20, 20)


def run(main) -> None:
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        code = main()
    except SystemExit as exc:  # argparse's --help, --version and usage errors
        code = exc.code
    leave(code)


def leave(code) -> None:
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    threading = sys.modules.get("threading")  # not imported: no thread was started
    if threading is not None:
        threading._shutdown()  # as the interpreter does: thread pools' exit hooks, then join non-daemon threads
    import atexit
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (`schemagen diff | head`): nothing more to say
            pass
    os._exit(code)
