"""Starts the bridge as rightsizer does and talks to it in JSON lines, for the tests."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Any, Dict, List, Optional

PYTHON_DIR = Path(__file__).resolve().parents[1]
STAGES_DIR = Path(__file__).resolve().parent / "stages"
MARKER = "RIGHTSIZER_LITHOPS_BRIDGE"


def localhost_config(extra: Optional[Dict[str, Any]] = None) -> Dict[str, Any]:
    config: Dict[str, Any] = {
        "lithops": {"backend": "localhost", "storage": "localhost", "data_cleaner": False, "log_level": "WARNING"},
        "localhost": {"runtime": sys.executable},
    }
    config.update(extra or {})
    return config


class Bridge:
    def __init__(self, home: Path, python: str = sys.executable, env: Optional[Dict[str, str]] = None) -> None:
        self.marker = uuid.uuid4().hex
        (home / "tmp").mkdir(parents=True, exist_ok=True)
        full_env = {
            **os.environ,
            "HOME": str(home),
            "TMPDIR": str(home / "tmp"),
            "PYTHONPATH": str(PYTHON_DIR),
            MARKER: self.marker,
            **(env or {}),
        }
        self.proc = subprocess.Popen(
            [python, "-m", "rightsizer_lithops.bridge"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=full_env,
            text=True,
            start_new_session=True,
        )
        self.hello = self.read()
        self._next = 0

    def read(self) -> Dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, "the bridge closed its stdout"
        return json.loads(line)

    def send(self, message: Dict[str, Any]) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(message) + "\n")
        self.proc.stdin.flush()

    def run(self, function: str, workers: int, **fields: Any) -> Dict[str, Any]:
        self._next += 1
        params = fields.pop("params", {})
        request = {
            "type": "run",
            "id": str(self._next),
            "runId": f"run-{self._next}",
            "workflow": "tests",
            "stage": function.split(":")[-1],
            "function": function,
            "pythonPath": [str(STAGES_DIR)],
            "config": {"workers": workers, "memoryMB": 1024},
            "lithopsConfig": localhost_config(),
            "timeoutMs": 60_000,
            "partitions": [{"index": i, "workers": workers, "keys": [], "params": params}
                           for i in range(workers)],
            **fields,
        }
        self.send(request)
        reply = self.read()
        assert reply.get("id") == request["id"], reply
        return reply

    def close(self) -> int:
        if self.proc.poll() is None:
            self.send({"type": "shutdown"})
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, 9)
                self.proc.wait()
        return self.proc.returncode


def marked_processes(marker: str) -> List[int]:
    """Live processes (not zombies) whose environment carries the bridge's marker."""
    needle = f"{MARKER}={marker}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            if needle not in (entry / "environ").read_bytes().split(b"\0"):
                continue
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state not in ("Z", "X"):
            found.append(int(entry.name))
    return found


def wait_gone(marker: str, seconds: float = 10) -> List[int]:
    deadline = time.monotonic() + seconds
    left = marked_processes(marker)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = marked_processes(marker)
    return left
