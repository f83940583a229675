"""The JSON data files shipped inside the ``kg`` package, read by their path in it.

A path ("data/countries.json", "extract/roles/roles.json") imports no sub-package: a module
outside the extractor reads the extractor's word lists without loading spaCy.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any


def package_json(path: str) -> Any:
    """The parsed JSON of ``kg/<path>``."""
    return json.loads(resources.files("kg").joinpath(path).read_text(encoding="utf-8"))
