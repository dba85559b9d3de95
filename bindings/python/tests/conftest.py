"""Shared helpers: the project's conformance vectors and framework setup.

The vectors are read from the core crate's copy (crates/hooksig/tests/vectors),
the one path every language loads; they are never edited here.
"""

from __future__ import annotations

import json
import re
import sys
import types
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# No per-example deadline: CI machines are shared and slow; properties are
# about results, never about time.
settings.register_profile("hooksig", deadline=None)
settings.load_profile("hooksig")

BINDING = Path(__file__).resolve().parent.parent
ROOT = BINDING.parent.parent
VECTORS = ROOT / "crates" / "hooksig" / "tests" / "vectors"
README = BINDING / "README.md"


def load(name: str) -> list[dict[str, Any]]:
    """Vectors of one file. JSON numbers are read as doubles, like the
    reference's ``JSON.parse`` (``parse_int=float``)."""
    with open(VECTORS / name, encoding="utf-8") as f:
        return json.load(f, parse_int=float)["vectors"]


def pairs(vector: dict[str, Any]) -> list[tuple[str, Any]]:
    return [(k, v) for k, v in vector["params"]]


def readme_python_blocks() -> list[str]:
    """Every ```python block of the binding's README, in order."""
    text = README.read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


# Django needs settings before any request object (or QueryDict) exists.
# The README's view is mounted into this URLconf by the README test.
URLCONF = types.ModuleType("hooksig_test_urls")
URLCONF.urlpatterns = []  # type: ignore[attr-defined]
sys.modules[URLCONF.__name__] = URLCONF


def pytest_configure(config: pytest.Config) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            DEBUG=False,
            ALLOWED_HOSTS=["testserver"],
            # Django's own key, unrelated to the webhook secret.
            SECRET_KEY="django-test-key-not-the-webhook-secret",
            ROOT_URLCONF=URLCONF.__name__,
            MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
            INSTALLED_APPS=[],
            USE_TZ=True,
        )
        django.setup()
