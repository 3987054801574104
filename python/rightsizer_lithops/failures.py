"""What a failed Lithops call means for the sample: its status and a one-paragraph reason.

Lithops reports a function process that died as an exception of its handler: ``The function
process was killed with SIGTERM`` (a RuntimeError), or a MemoryError for SIGKILL, which it reads
as the out-of-memory killer (lithops/worker/handler.py). That reading holds on a platform with a
memory limit; on ``localhost`` there is none, so a SIGKILL there is an error naming the signal.
"""
from __future__ import annotations

import re
import traceback
from dataclasses import dataclass
from typing import Any, Optional

from rightsizer_lithops.worker import EXC_INFO_ATTR

TRACEBACK_TAIL_CHARS = 1500
_KILLED = re.compile(r"killed with (SIG[A-Z0-9]+|signal \d+)")


@dataclass(frozen=True)
class Failure:
    status: str  # "error" | "oom"
    message: str


def _tail(text: str, chars: int = TRACEBACK_TAIL_CHARS) -> str:
    text = text.strip()
    if len(text) <= chars:
        return text
    cut = text[-chars:]
    nl = cut.find("\n")
    return "…" + (cut[nl + 1 :] if 0 <= nl < len(cut) - 1 else cut)


def traceback_of(exc_info: Any) -> str:
    """The traceback text of a future's exception (Lithops keeps ``(type, value, tb)``)."""
    value = exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) == 3 else exc_info
    info = getattr(value, EXC_INFO_ATTR, None)
    if isinstance(info, dict) and isinstance(info.get("traceback"), str):
        return str(info["traceback"])
    if isinstance(exc_info, tuple) and len(exc_info) == 3:
        tb = exc_info[2]
        if isinstance(tb, str):
            return f"{tb}\n{exc_info[0].__name__}: {exc_info[1]}"
        return "".join(traceback.format_exception(exc_info[0], exc_info[1], tb))
    return repr(exc_info)


def classify(exc_info: Any, backend: str) -> Failure:
    value = exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) == 3 else exc_info
    message = str(value)
    killed = _KILLED.search(message)
    if killed:
        signal = killed.group(1)
        if signal == "SIGKILL" and backend != "localhost":
            return Failure("oom", f"killed by SIGKILL (out of memory, as Lithops reads it): {message}")
        return Failure("error", f"killed by {signal}: {message}")
    tail = _tail(traceback_of(exc_info))
    if isinstance(value, MemoryError):
        return Failure("oom", tail)
    return Failure("error", tail)


def phases_of(exc_info: Any) -> Optional[dict]:
    value = exc_info[1] if isinstance(exc_info, tuple) and len(exc_info) == 3 else exc_info
    info = getattr(value, EXC_INFO_ATTR, None)
    phases = info.get("phases") if isinstance(info, dict) else None
    return phases if isinstance(phases, dict) and phases else None
