#!/usr/bin/env python3
"""Drives an interactive program (the real redis-cli) through a pseudo-terminal for oracle tests.

Reads one JSON object on stdin:
  {"argv": [...], "rows": R, "cols": C, "env": {...},
   "steps": [{"run": [...], "send": "<latin1 text>", "until": "<python regex>", "eof": bool, "timeout": s}]}
For every step it runs `run` to completion if given (another program, e.g. a publisher), writes
`send` to the terminal, then reads the program's output until `until` matches the output received
since that step began (re.DOTALL, searched), or with "eof": true until the program closes the
terminal. Nothing waits on a clock except the per-step timeout, which turns a hang into a failure.

Writes one JSON object on stdout:
  {"steps": ["<latin1 output of each step, the failed one included>"], "error": null | "..."}
"""
import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time


def main() -> None:
    spec = json.load(sys.stdin)
    rows, cols = spec.get("rows", 50), spec.get("cols", 200)
    env = dict(os.environ)
    env.update(spec.get("env", {}))
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        os.execvpe(spec["argv"][0], spec["argv"], env)
    outputs: list[str] = []
    error = None
    got = b""
    try:
        for index, step in enumerate(spec["steps"]):
            got = b""
            if step.get("run"):
                subprocess.run(step["run"], check=True, capture_output=True, env=env)
            if step.get("send"):
                os.write(fd, step["send"].encode("latin1"))
            until_eof = step.get("eof", False)
            pattern = re.compile(step.get("until") or "(?!)", re.DOTALL)
            deadline = time.monotonic() + step.get("timeout", 5)
            while not pattern.search(got.decode("latin1")):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"step {index}: {step.get('until')!r} not seen")
                ready, _, _ = select.select([fd], [], [], left)
                if not ready:
                    continue
                try:
                    chunk = os.read(fd, 65536)
                except OSError:  # EIO: the program closed the terminal
                    chunk = b""
                if not chunk:
                    if until_eof:
                        break
                    raise EOFError(f"step {index}: the program ended")
                got += chunk
            outputs.append(got.decode("latin1"))
    except Exception as e:  # reported to the test, which fails with it
        outputs.append(got.decode("latin1"))
        error = str(e)
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(pid, 0)
    json.dump({"steps": outputs, "error": error}, sys.stdout)


if __name__ == "__main__":
    main()
