"""Stage functions the bridge tests map with Lithops on localhost."""
import os
import signal
import time

from rightsizer_lithops import phase


def sleepy(partition):
    """0.1 s read, 0.3 s compute, 0.05 s write; reports one output key."""
    with phase("read"):
        time.sleep(0.1)
    with phase("compute"):
        time.sleep(0.3)
    with phase("write"):
        time.sleep(0.05)
    return {"outputKeys": [f"out/{partition['index']}"], "outputBytes": 10}


def read_then_rest(partition):
    """Times only read: compute is the rest of the function's time."""
    with phase("read"):
        time.sleep(0.05)
    time.sleep(0.15)
    return None


def raises(partition):
    if partition["index"] == 1:
        with phase("read"):
            pass
        raise ValueError(f"bad record in partition {partition['index']}")
    return None


def kills_itself(partition):
    if partition["index"] == partition["params"].get("victim", 1):
        os.kill(os.getpid(), getattr(signal, partition["params"]["signal"]))
        time.sleep(5)
    return None


def chatty(partition):
    print("a line on stdout from the stage function")
    return None


def hangs(partition):
    time.sleep(60)


def trivial(partition):
    """0.2 s of sleep: the function of bench/lithops-overhead.ts."""
    time.sleep(0.2)
    return None
