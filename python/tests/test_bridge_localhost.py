"""Real Lithops jobs on its localhost backend, through the bridge process, at 1, 2 and 4 workers."""
from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bridge_client import PYTHON_DIR, Bridge, wait_gone


@pytest.mark.parametrize("workers", [1, 2, 4])
def test_a_stage_run_reports_every_worker_its_phases_and_the_makespan(bridge: Bridge, workers: int) -> None:
    assert bridge.hello["type"] == "ready" and bridge.hello["lithops"]
    start = time.time()
    reply = bridge.run("stagefns:sleepy", workers)
    wall = time.time() - start
    record = reply["record"]
    assert reply["type"] == "result" and record["status"] == "ok", record.get("error")
    assert record["schema"] == "rightsizer.lithops-run/v1" and record["lithopsBackend"] == "localhost"
    futures = record["futures"]
    assert len(futures) == workers
    for stats in futures:
        phases = stats["phases"]
        assert 0.1 <= phases["read"] < 0.5 and 0.3 <= phases["compute"] < 0.9 and 0.05 <= phases["write"] < 0.4
        assert stats["worker_func_exec_time"] >= sum(phases.values()) - 0.01
        assert stats["host_submit_tstamp"] >= start - 0.5
    makespan = max(f["host_status_done_tstamp"] for f in futures) - min(f["host_submit_tstamp"] for f in futures)
    # All workers run at once (worker_processes = workers): about one function's time plus
    # Lithops' overhead, never less than the function and never more than the bridge's wall time.
    assert 0.45 <= makespan <= wall
    assert makespan < 0.45 * workers + 3
    assert record["outputKeys"] == [f"out/{i}" for i in range(workers)] and record["outputBytes"] == 10 * workers


def test_compute_is_the_rest_when_only_read_is_timed(bridge: Bridge) -> None:
    stats = bridge.run("stagefns:read_then_rest", 1)["record"]["futures"][0]
    assert stats["phases"]["read"] >= 0.05 and stats["phases"]["compute"] >= 0.15


def test_a_function_that_raises_gives_an_error_with_its_traceback_tail(bridge: Bridge) -> None:
    record = bridge.run("stagefns:raises", 2)["record"]
    assert record["status"] == "error"
    assert record["error"].startswith("worker 1: ")
    assert "ValueError: bad record in partition 1" in record["error"]
    assert "stagefns.py" in record["error"] and "in raises" in record["error"]
    assert "phases" in record["futures"][1]


@pytest.mark.parametrize("signal", ["SIGKILL", "SIGTERM"])
def test_a_killed_worker_gives_an_error_naming_the_signal(bridge: Bridge, signal: str) -> None:
    # One worker: a sibling call in the same Lithops localhost job can fail on its own when a
    # process of the job is signalled, which would hide the message this test is about.
    record = bridge.run("stagefns:kills_itself", 1, params={"signal": signal, "victim": 0})["record"]
    assert record["status"] == "error"  # no memory limit on localhost: not an out-of-memory
    assert record["error"].startswith(f"worker 0: killed by {signal}")


def test_prints_on_stdout_do_not_break_the_protocol(bridge: Bridge) -> None:
    assert bridge.run("stagefns:chatty", 1)["record"]["status"] == "ok"


def test_a_stage_past_its_timeout_is_stopped(bridge: Bridge) -> None:
    start = time.monotonic()
    record = bridge.run("stagefns:hangs", 2, timeoutMs=2000)["record"]
    assert record["status"] == "timeout" and time.monotonic() - start < 10
    # The bridge still works after it.
    assert bridge.run("stagefns:sleepy", 1)["record"]["status"] == "ok"


def test_a_bad_function_reference_is_an_input_error(bridge: Bridge) -> None:
    reply = bridge.run("stagefns:nope", 1)
    assert reply["type"] == "error" and reply["kind"] == "input" and "has no nope" in reply["message"]
    reply = bridge.run("no_such_module:f", 1)
    assert reply["kind"] == "input" and "cannot import no_such_module" in reply["message"]


def test_sigterm_stops_the_bridge_and_its_running_calls(tmp_path: Path) -> None:
    b = Bridge(tmp_path)
    b.send({"type": "run", "id": "1", "function": "stagefns:hangs", "pythonPath": [str(Path(__file__).parent / "stages")],
            "config": {"workers": 2, "memoryMB": 512}, "lithopsConfig": {
                "lithops": {"backend": "localhost", "storage": "localhost", "data_cleaner": False},
                "localhost": {"runtime": sys.executable}}, "timeoutMs": 60000})
    time.sleep(2.5)  # the calls are running
    b.proc.terminate()
    assert b.proc.wait(10) != 0
    assert wait_gone(b.marker) == []


def test_without_lithops_the_bridge_names_the_fix_and_exits_2(tmp_path: Path) -> None:
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    python = str(bare / "bin" / "python")
    proc = subprocess.run([python, "-m", "rightsizer_lithops.bridge"], input="", capture_output=True, text=True,
                          env={"PYTHONPATH": str(PYTHON_DIR), "PATH": "/usr/bin:/bin"}, timeout=30)
    assert proc.returncode == 2
    assert '"fix": "bash scripts/setup-python.sh"' in proc.stdout and "Lithops is not installed" in proc.stdout
    shutil.rmtree(bare)
