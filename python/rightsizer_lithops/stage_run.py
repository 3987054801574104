"""One stage run: a Lithops ``map`` of the stage's function over its partitions at one config,
reported as a ``rightsizer.lithops-run/v1`` record (the format ``rightsizer import lithops-stats``
reads). Timings are Lithops' own ``future.stats``; the bridge adds the phases and the outcome.
"""
from __future__ import annotations

import os
import time
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

from rightsizer_lithops.config_mapping import StageConfig, map_config
from rightsizer_lithops.errors import BridgeInputError
from rightsizer_lithops.executors import ExecutorCache, stop_jobs
from rightsizer_lithops.failures import classify, phases_of
from rightsizer_lithops.load_function import load_function
from rightsizer_lithops.user_config import load_user_config
from rightsizer_lithops.worker import ENVELOPE_KEY, make_task

LITHOPS_RUN_SCHEMA = "rightsizer.lithops-run/v1"


def _stage_config(raw: Any) -> StageConfig:
    if not isinstance(raw, dict) or not isinstance(raw.get("workers"), int) or raw["workers"] < 1:
        raise BridgeInputError("config.workers must be a positive integer")
    memory = raw.get("memoryMB")
    if not isinstance(memory, (int, float)) or memory <= 0:
        raise BridgeInputError("config.memoryMB must be a positive number")
    vcpu = raw.get("vcpu")
    return StageConfig(raw["workers"], int(memory), float(vcpu) if isinstance(vcpu, (int, float)) else None)


def _partitions(req: Dict[str, Any], workers: int) -> List[Dict[str, Any]]:
    given = req.get("partitions")
    if given is None:
        return [{"index": i, "workers": workers, "keys": [], "params": {}} for i in range(workers)]
    if not isinstance(given, list) or not all(isinstance(p, dict) for p in given) or not given:
        raise BridgeInputError("partitions must be a non-empty list of objects")
    return given


def _future_stats(future: Any, backend: str) -> Dict[str, Any]:
    stats: Dict[str, Any] = dict(future.stats or {})
    if future.error:
        exc_info = getattr(future, "_exception", None)
        failure = classify(exc_info, backend)
        stats["error"] = failure.message
        stats["rightsizer_status"] = failure.status
        phases = phases_of(exc_info)
        if phases:
            stats["phases"] = phases
        return stats
    result = future.result(throw_except=False)
    if isinstance(result, dict) and result.get(ENVELOPE_KEY):
        if result.get("phases"):
            stats["phases"] = result["phases"]
        stats["rightsizer_value"] = result.get("value")
    return stats


def _outputs(futures: List[Dict[str, Any]]) -> Dict[str, Any]:
    """Keys and bytes a function reported by returning ``{"outputKeys": [...], "outputBytes": n}``."""
    keys: List[str] = []
    total: Optional[float] = None
    for stats in futures:
        value = stats.pop("rightsizer_value", None)
        if not isinstance(value, dict):
            continue
        ks = value.get("outputKeys")
        if isinstance(ks, list):
            keys.extend(str(k) for k in ks)
        b = value.get("outputBytes")
        if isinstance(b, (int, float)):
            total = (total or 0) + b
    out: Dict[str, Any] = {}
    if keys:
        out["outputKeys"] = keys
    if total is not None:
        out["outputBytes"] = total
    return out


def _module_shipping(backend: str, python_path: List[str]) -> Dict[str, Any]:
    """How the stage's modules reach the workers. Lithops ships them, and every worker writes
    them into the job's one module folder: on ``localhost`` the task processes share that folder,
    so one may import a file another is rewriting ("Can't get attribute ..."). There the workers
    import from the same folders as this process instead — they inherit its environment — and
    nothing is shipped."""
    if backend != "localhost":
        return {}
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    wanted = [os.path.abspath(p) for p in python_path] + [here]
    have = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    os.environ["PYTHONPATH"] = os.pathsep.join(wanted + [p for p in have if p not in wanted])
    return {"include_modules": None}


def run_stage(req: Dict[str, Any], executors: ExecutorCache) -> Dict[str, Any]:
    """The record of one stage run. Raises BridgeInputError for what the user must fix first."""
    import lithops

    cfg = _stage_config(req.get("config"))
    fn = load_function(str(req.get("function") or ""), req.get("pythonPath") or [])
    partitions = _partitions(req, cfg.workers)
    user = load_user_config(req.get("lithopsConfig"), req.get("lithopsConfigFile"))
    mapped = map_config(user, cfg)
    timeout_s = float(req.get("timeoutMs") or 900_000) / 1000

    record: Dict[str, Any] = {
        "schema": LITHOPS_RUN_SCHEMA,
        "workflow": req.get("workflow") or "workflow",
        "stage": req.get("stage") or "stage",
        "config": req.get("config"),
        "inputBytes": req.get("inputBytes"),
        "platform": req.get("platform"),
        "runId": req.get("runId"),
        "rep": req.get("rep", 0),
        "timeoutMs": req.get("timeoutMs"),
        "startedAt": datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "lithopsBackend": mapped.backend,
        "lithopsVersion": lithops.__version__,
        "warnings": list(mapped.warnings),
        "futures": [],
    }
    for key in ("runId", "platform", "inputBytes", "timeoutMs"):
        if record[key] is None:
            del record[key]

    try:
        executor = executors.get(mapped)
    except Exception as e:
        record.update(status="error", error=f"Lithops could not start a {mapped.backend} executor: {e}")
        return record

    futures: List[Any] = []
    started = time.monotonic()
    try:
        futures = executor.map(
            make_task(fn),
            [(p,) for p in partitions],
            runtime_memory=mapped.map_memory_mb,
            **_module_shipping(mapped.backend, req.get("pythonPath") or []),
        )
        executor.wait(futures, throw_except=False, timeout=timeout_s, show_progressbar=False)
    except TimeoutError as e:
        stop_jobs(executor, futures, e)
        executors.discard(executor)
        record.update(status="timeout", error=f"the stage ran past its timeout of {timeout_s:g} s")
        record["futures"] = [dict(f.stats or {}) for f in futures if f.stats]
        return record
    except Exception as e:
        if futures:
            stop_jobs(executor, futures, e)
        executors.discard(executor)
        record.update(status="error", error=f"Lithops failed after {time.monotonic() - started:.1f} s: {e!r}")
        return record

    stats = [_future_stats(f, mapped.backend) for f in futures]
    record.update(_outputs(stats))
    failed = [(k, s) for k, s in enumerate(stats) if "error" in s]
    statuses = {s.pop("rightsizer_status", "error") for _, s in failed}
    if failed:
        k, first = failed[0]
        more = f" (and {len(failed) - 1} more failed workers)" if len(failed) > 1 else ""
        # Only out-of-memory everywhere makes the config infeasible; any other failure is an error.
        record.update(status="oom" if statuses == {"oom"} else "error", error=f"worker {k}: {first['error']}{more}")
    else:
        record.update(status="ok", error=None)
    record["futures"] = stats
    return record

