from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bridge_client import Bridge, wait_gone  # noqa: E402


@pytest.fixture(scope="module")
def bridge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bridge]:
    """One bridge per test module, with its own HOME and TMPDIR; checks it leaves no process behind."""
    b = Bridge(tmp_path_factory.mktemp("home"))
    yield b
    assert b.close() == 0
    assert wait_gone(b.marker) == [], "Lithops processes outlived the bridge"
