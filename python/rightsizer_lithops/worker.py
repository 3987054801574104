"""What runs inside a Lithops worker: the user's function, with its phases carried back.

The phases travel inside the call's return value (an envelope the bridge unwraps) or, when the
function raises, as an attribute of the exception, which pickles with it. When the function
timed some phases but not ``compute``, compute is the rest of its time, so read + compute +
write adds up to the function's whole run.
"""
from __future__ import annotations

import inspect
import time
import traceback
from typing import Any, Callable, Dict, Optional

from rightsizer_lithops import phases

ENVELOPE_KEY = "__rightsizer__"
#: The attribute that carries a raised exception's phases and formatted traceback to the host.
EXC_INFO_ATTR = "rightsizer_info"


def _phases(elapsed: float) -> Dict[str, float]:
    timed = phases.collected()
    if timed and "compute" not in timed:
        rest = elapsed - sum(v for k, v in timed.items() if k in ("read", "write"))
        timed["compute"] = max(0.0, rest)
    return timed


def _takes_storage(fn: Callable[..., Any]) -> bool:
    try:
        return "storage" in inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False


def run_partition(fn: Callable[..., Any], partition: Dict[str, Any], storage: Optional[Any] = None) -> Dict[str, Any]:
    """Calls ``fn(partition)``, or ``fn(partition, storage=…)`` when it asks for Lithops' Storage."""
    phases.reset()
    start = time.perf_counter()
    try:
        value = fn(partition, storage=storage) if _takes_storage(fn) else fn(partition)
    except BaseException as e:
        info = {"phases": _phases(time.perf_counter() - start), "traceback": traceback.format_exc()}
        try:
            setattr(e, EXC_INFO_ATTR, info)
        except Exception:
            pass  # Some exceptions take no attributes; the host falls back to Lithops' traceback.
        raise
    return {ENVELOPE_KEY: 1, "phases": _phases(time.perf_counter() - start), "value": value}


def make_task(fn: Callable[..., Any]) -> Callable[..., Dict[str, Any]]:
    """The function Lithops maps: a closure over the user's, so Lithops ships the user's module.
    Its ``storage`` parameter makes Lithops pass its Storage client (the job's own bucket)."""

    def rightsizer_task(partition: Dict[str, Any], storage: Any = None) -> Dict[str, Any]:
        return run_partition(fn, partition, storage)

    return rightsizer_task
