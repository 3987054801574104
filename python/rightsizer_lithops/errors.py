"""Errors the bridge reports as the user's to fix (exit 2 on the rightsizer side), not as samples."""
from __future__ import annotations

from typing import Optional


class BridgeInputError(Exception):
    def __init__(self, message: str, hint: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
