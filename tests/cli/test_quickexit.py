"""The console script's way out (cli/quickexit.py) still does what a user can see of an exit:
threads finish, atexit handlers run, every byte of output arrives, the exit code is main's."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap


def leave_with(body: str, tmp_path, **kwargs) -> subprocess.CompletedProcess:
    code = "from schemagen.cli.quickexit import run\n" + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          **kwargs)


def test_output_threads_and_exit_handlers_all_finish_before_the_exit_code(tmp_path):
    result = leave_with("""
        import atexit, threading, time
        from concurrent.futures import ThreadPoolExecutor
        def late():
            time.sleep(0.3)
            open("written-by-thread", "w").write("done")
        def main():
            threading.Thread(target=late).start()
            ThreadPoolExecutor(max_workers=2).submit(lambda: None)  # never shut down: its workers idle on
            atexit.register(lambda: print("from atexit"))
            print("x" * 1_000_000)
            return 3
        run(main)
    """, tmp_path)
    assert result.returncode == 3, result.stderr
    assert result.stdout == "x" * 1_000_000 + "\nfrom atexit\n"
    assert (tmp_path / "written-by-thread").read_text() == "done"
    assert result.stderr == ""


def test_system_exit_codes_and_messages_are_kept(tmp_path):
    for body, code, err in (("raise SystemExit(None)", 0, ""), ("raise SystemExit(2)", 2, ""),
                            ("raise SystemExit('no schema.yaml here')", 1, "no schema.yaml here\n"),
                            ("return None", 0, "")):
        result = leave_with(f"def main():\n    {body}\nrun(main)\n", tmp_path)
        assert (result.returncode, result.stderr) == (code, err), body


def test_a_reader_that_went_away_gets_no_traceback(tmp_path):
    code = ("import sys\nfrom schemagen.cli.quickexit import run\n"
            "def main():\n    print('still in the buffer')\n    sys.stdin.readline()\n    return 4\nrun(main)\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # the output waits in its buffer
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env)
    proc.stdout.close()  # as `schemagen diff | head -0` does: the output is flushed at the exit, into nothing
    _, stderr = proc.communicate(b"go\n", timeout=60)
    assert (proc.returncode, stderr.decode()) == (4, "")


def test_the_console_script_goes_through_it(tmp_path):
    result = subprocess.run([sys.executable, "-m", "schemagen", "--version"], cwd=tmp_path, capture_output=True,
                            text=True)
    assert result.returncode == 0 and result.stdout.startswith("schemagen ")
    from importlib.metadata import entry_points
    script = [e for e in entry_points(group="console_scripts") if e.name == "schemagen"]
    assert [e.value for e in script] == ["schemagen.cli:run"]
