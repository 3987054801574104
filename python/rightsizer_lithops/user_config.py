"""The user's Lithops config: a dict given inline, a YAML file, or Lithops' own default lookup."""
from __future__ import annotations

import os
from typing import Any, Dict, Optional

from rightsizer_lithops.errors import BridgeInputError


def load_user_config(inline: Optional[Dict[str, Any]], path: Optional[str]) -> Dict[str, Any]:
    """``inline`` wins; else ``path``; else what Lithops itself would read (LITHOPS_CONFIG_FILE, ~/.lithops/config)."""
    if inline is not None:
        if not isinstance(inline, dict):
            raise BridgeInputError("the Lithops config must be a mapping", "e.g. {lithops: {backend: localhost}}")
        return inline
    from lithops.config import get_default_config_filename, load_yaml_config

    file = path or get_default_config_filename()
    if file is None:
        return {}
    file = os.path.expanduser(file)
    if not os.path.isfile(file):
        raise BridgeInputError(f"Lithops config {file}: no such file", "give an existing YAML file")
    loaded = load_yaml_config(file)
    if loaded is None:
        return {}
    if not isinstance(loaded, dict):
        raise BridgeInputError(f"Lithops config {file}: not a mapping", "see Lithops' config docs")
    return loaded
