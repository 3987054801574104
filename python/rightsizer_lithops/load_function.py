"""Finds the stage's function from its ``package.module:function`` reference."""
from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Iterable

from rightsizer_lithops.errors import BridgeInputError

HINT = 'write run: "package.module:function", importable from the workflow\'s folder'


def load_function(ref: str, python_path: Iterable[str] = ()) -> Callable[..., Any]:
    for folder in reversed(list(python_path)):
        if folder not in sys.path:
            sys.path.insert(0, folder)
    module_name, sep, attr = ref.partition(":")
    if not sep or not module_name or not attr:
        raise BridgeInputError(f"run {ref!r}: not of the form package.module:function", HINT)
    try:
        module = importlib.import_module(module_name)
    except Exception as e:  # ImportError, SyntaxError, or whatever the module raises on import
        raise BridgeInputError(f"run {ref!r}: cannot import {module_name} ({e})", HINT) from e
    fn: Any = module
    for part in attr.split("."):
        fn = getattr(fn, part, None)
        if fn is None:
            raise BridgeInputError(f"run {ref!r}: {module_name} has no {attr}", HINT)
    if not callable(fn):
        raise BridgeInputError(f"run {ref!r}: {attr} is not callable", HINT)
    return fn
