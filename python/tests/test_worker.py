"""The wrapper that runs in a Lithops worker: phases in the reply, or on the exception."""
import time

import pytest

from rightsizer_lithops import phase
from rightsizer_lithops.failures import classify, phases_of, traceback_of
from rightsizer_lithops.worker import ENVELOPE_KEY, run_partition


def test_phases_come_back_in_the_envelope() -> None:
    def fn(partition):
        with phase("read"):
            time.sleep(0.02)
        with phase("compute"):
            time.sleep(0.03)
        return partition["index"]

    out = run_partition(fn, {"index": 3})
    assert out[ENVELOPE_KEY] == 1 and out["value"] == 3
    assert out["phases"]["read"] >= 0.02 and out["phases"]["compute"] >= 0.03
    assert "write" not in out["phases"]


def test_untimed_rest_is_compute_and_no_phases_means_none() -> None:
    def fn(_):
        with phase("read"):
            time.sleep(0.02)
        time.sleep(0.03)

    assert run_partition(fn, {})["phases"]["compute"] >= 0.03
    assert run_partition(lambda _: None, {})["phases"] == {}


def test_a_raise_carries_its_traceback_and_phases() -> None:
    def fn(_):
        with phase("read"):
            pass
        raise KeyError("missing")

    with pytest.raises(KeyError) as caught:
        run_partition(fn, {})
    exc_info = (caught.type, caught.value, caught.tb)
    assert "KeyError: 'missing'" in traceback_of(exc_info)
    assert "read" in (phases_of(exc_info) or {})
    failure = classify(exc_info, "localhost")
    assert failure.status == "error" and "in fn" in failure.message


def test_signals_are_named_and_sigkill_is_oom_only_where_memory_is_limited() -> None:
    killed = RuntimeError("The function process was killed with SIGTERM")
    assert classify((RuntimeError, killed, None), "aws_lambda").message.startswith("killed by SIGTERM")
    oom = MemoryError("The function process was killed with SIGKILL, which is what the out-of-memory killer does")
    assert classify((MemoryError, oom, None), "localhost").status == "error"
    assert classify((MemoryError, oom, None), "aws_lambda").status == "oom"
    assert "SIGKILL" in classify((MemoryError, oom, None), "localhost").message
