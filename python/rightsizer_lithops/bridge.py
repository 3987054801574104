"""The bridge: ``python -m rightsizer_lithops.bridge``, one JSON object per line each way.

rightsizer writes requests to stdin; the bridge answers on stdout, one reply per request, in
order. Everything else the process prints — Lithops' logs, the user's prints, those of worker
processes that inherit our stdout — goes to stderr: fd 1 is pointed at stderr at start and the
protocol keeps a private copy of the original stdout.

- first, unasked: ``{"type":"ready","python":…,"lithops":…,"bridge":…}``, or
  ``{"type":"fatal","kind":"setup","message":…,"fix":…}`` and exit 2 when Lithops is missing;
- ``{"type":"run", "id", …stage run fields}`` → ``{"type":"result","id","record":{lithops-run/v1}}``
  or ``{"type":"error","id","kind":"input"|"internal","message","hint"}``;
- ``{"type":"ping","id"}`` → ``{"type":"pong","id"}``; ``{"type":"shutdown"}`` or end of stdin: exit 0.

SIGTERM closes the executors (killing the calls still running) and exits.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import traceback
from typing import Any, Dict, TextIO

from rightsizer_lithops import __version__
from rightsizer_lithops.errors import BridgeInputError

SETUP_FIX = "bash scripts/setup-python.sh"


def _protocol_stream() -> TextIO:
    out = os.fdopen(os.dup(1), "w", buffering=1, encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return out


def _send(out: TextIO, message: Dict[str, Any]) -> None:
    out.write(json.dumps(message, default=str, allow_nan=False) + "\n")
    out.flush()


def _on_sigterm(_signum: int, _frame: Any) -> None:
    raise SystemExit(143)


def _handle(request: Dict[str, Any], executors: Any) -> Dict[str, Any]:
    from rightsizer_lithops.stage_run import run_stage

    rid = request.get("id")
    kind = request.get("type")
    if kind == "ping":
        return {"type": "pong", "id": rid}
    if kind != "run":
        return {"type": "error", "id": rid, "kind": "internal", "message": f"unknown request type {kind!r}"}
    try:
        return {"type": "result", "id": rid, "record": run_stage(request, executors)}
    except BridgeInputError as e:
        return {"type": "error", "id": rid, "kind": "input", "message": e.message, "hint": e.hint}
    except Exception as e:
        tail = traceback.format_exc()[-1500:]
        return {"type": "error", "id": rid, "kind": "internal", "message": f"{e!r}\n{tail}"}


def main() -> int:
    out = _protocol_stream()
    signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        import lithops
    except ImportError as e:
        _send(out, {
            "type": "fatal",
            "kind": "setup",
            "message": f"Lithops is not installed for {sys.executable} ({e})",
            "fix": SETUP_FIX,
        })
        return 2
    from rightsizer_lithops.executors import ExecutorCache

    _send(out, {
        "type": "ready",
        "python": sys.executable,
        "pythonVersion": ".".join(map(str, sys.version_info[:3])),
        "lithops": lithops.__version__,
        "bridge": __version__,
    })
    executors = ExecutorCache()
    try:
        for line in sys.stdin:
            line = line.strip()
            if not line:
                continue
            try:
                request = json.loads(line)
            except ValueError as e:
                _send(out, {"type": "error", "id": None, "kind": "internal", "message": f"not JSON: {e}"})
                continue
            if not isinstance(request, dict):
                _send(out, {"type": "error", "id": None, "kind": "internal", "message": "not an object"})
                continue
            if request.get("type") == "shutdown":
                break
            _send(out, _handle(request, executors))
    finally:
        executors.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
