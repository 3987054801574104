"""The keys rightsizer sets in the user's Lithops config for one stage config; all else is theirs.

For the compute backend's section ``B`` (``aws_lambda``, ``k8s``, ``code_engine``, …):

- ``B.runtime_memory`` = memoryMB (also passed to ``map``, where Lithops lets memory vary);
- ``B.max_workers`` = max(the user's value, workers): every worker of the stage can run at once;
- ``B.worker_processes`` = 1 and ``lithops.chunksize`` = 1: one call per function instance, so
  a worker in a sample is one instance of the platform;
- ``B.runtime_cpu`` = vcpu where the backend has that knob (``CPU_BACKENDS``); elsewhere the
  platform derives CPU from memory, and the vCPU is dropped with a warning.

For ``localhost`` (Lithops forces ``max_workers`` to 1 there and ignores memory and CPU):

- ``localhost.worker_processes`` = workers: the stage's workers run at once, as on a FaaS platform;
- ``localhost.runtime`` = the bridge's own interpreter when the user names none (Lithops'
  default, ``python3`` from PATH, may be a Python without Lithops).
"""
from __future__ import annotations

import copy
import json
import sys
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional

LOCALHOST = "localhost"
#: Lithops compute backends with a ``runtime_cpu`` setting (lithops/serverless/backends/*/config.py, 3.8.0).
CPU_BACKENDS = frozenset({"k8s", "code_engine", "gcp_cloudrun", "knative", "aws_batch"})
#: What Lithops picks when the config names no backend (lithops/constants.py).
DEFAULT_BACKEND = "aws_lambda"


@dataclass(frozen=True)
class StageConfig:
    workers: int
    memory_mb: int
    vcpu: Optional[float] = None


@dataclass
class MappedConfig:
    backend: str
    #: The full Lithops config for ``FunctionExecutor(config=...)``.
    config: Dict[str, Any]
    #: ``runtime_memory`` for ``map`` (None where the backend ignores it).
    map_memory_mb: Optional[int]
    warnings: List[str] = field(default_factory=list)


def backend_of(user: Dict[str, Any]) -> str:
    lithops = user.get("lithops") or {}
    backend = lithops.get("backend")
    if backend:
        return str(backend)
    if lithops.get("mode") == LOCALHOST:
        return LOCALHOST
    return DEFAULT_BACKEND


def map_config(user: Dict[str, Any], stage: StageConfig, python: str = sys.executable) -> MappedConfig:
    """The user's config with rightsizer's keys set for ``stage``; ``user`` is not modified."""
    config = copy.deepcopy(user)
    backend = backend_of(config)
    lithops = config.setdefault("lithops", {}) or {}
    config["lithops"] = lithops
    lithops["backend"] = backend
    section = config.get(backend) or {}
    config[backend] = section
    warnings: List[str] = []

    if backend == LOCALHOST:
        section["worker_processes"] = stage.workers
        section.setdefault("runtime", python)
        warnings.append(
            "lithops localhost: memory and vCPU have no effect here (workers are processes of this "
            "machine, with its cores and RAM); times measure the workers only, and a plan's memory "
            "follows from the peak memory measured and the platform's prices"
        )
        return MappedConfig(backend, config, None, warnings)

    memory = int(round(stage.memory_mb))
    section["runtime_memory"] = memory
    section["max_workers"] = max(int(section.get("max_workers") or 0), stage.workers)
    section["worker_processes"] = 1
    lithops["chunksize"] = 1
    if stage.vcpu is not None:
        if backend in CPU_BACKENDS:
            section["runtime_cpu"] = stage.vcpu
        else:
            warnings.append(
                f"Lithops backend {backend} has no runtime_cpu setting (its CPU follows memory): "
                f"vcpu {stage.vcpu:g} is not passed on"
            )
    return MappedConfig(backend, config, memory, warnings)


def executor_key(mapped: MappedConfig) -> str:
    """Configs that can share one FunctionExecutor: all but the memory, which ``map`` takes."""
    config = copy.deepcopy(mapped.config)
    config.get(mapped.backend, {}).pop("runtime_memory", None)
    return json.dumps(config, sort_keys=True, default=str)
