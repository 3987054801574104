"""FunctionExecutors kept across stage runs: one per distinct executor-level setting (CPU,
max_workers, localhost's worker_processes); memory varies per ``map`` and never needs a new one.

On ``localhost`` only one is kept: two executors on the same temp folder can break each other's
jobs (research/ANCHORS.md), so a new one closes the others first.
"""
from __future__ import annotations

import logging
from typing import Any, Dict

from rightsizer_lithops.config_mapping import LOCALHOST, MappedConfig, executor_key

logger = logging.getLogger(__name__)


class ExecutorCache:
    def __init__(self) -> None:
        self._executors: Dict[str, Any] = {}

    def get(self, mapped: MappedConfig) -> Any:
        key = executor_key(mapped)
        found = self._executors.get(key)
        if found is not None:
            return found
        if mapped.backend == LOCALHOST:
            self.close()
        import lithops

        executor = lithops.FunctionExecutor(config=mapped.config)
        self._executors[key] = executor
        return executor

    def discard(self, executor: Any) -> None:
        """Closes one executor (after a timeout its state is not trusted) and forgets it."""
        for key, value in list(self._executors.items()):
            if value is executor:
                del self._executors[key]
        _close(executor)

    def close(self) -> None:
        for executor in self._executors.values():
            _close(executor)
        self._executors.clear()


def stop_jobs(executor: Any, futures: Any, reason: BaseException) -> None:
    """Kills the calls of ``futures`` still running (Lithops' wait leaves them when data_cleaner is off)."""
    job_keys = {f.job_key for f in futures}
    try:
        executor.compute_handler.clear(job_keys, exception=reason)
    except TypeError:  # Backends whose clear() takes no exception.
        executor.compute_handler.clear(job_keys)
    except Exception as e:
        logger.warning("could not stop the jobs %s: %s", sorted(job_keys), e)


def _close(executor: Any) -> None:
    try:
        executor.__exit__(None, None, None)  # What `with FunctionExecutor()` does on leaving.
    except Exception as e:
        logger.warning("closing a Lithops executor failed: %s", e)
