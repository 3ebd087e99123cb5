"""Headless Chromium (Debian's package at /usr/bin/chromium, driven by Playwright) for the tests
that need a real browser. Without Chromium they skip, unless ``FINETUNE_REQUIRE_SERVICES=1``
(CI) makes that a failure."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import backends

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium_path() -> Path | None:
    if CHROMIUM.exists():
        return CHROMIUM
    found = shutil.which("chromium")
    return Path(found) if found else None


@contextmanager
def chromium() -> Iterator[Any]:
    """A launched headless Chromium, or a skip (a failure when services are required)."""
    executable = _chromium_path()
    if executable is None:
        reason = "no Chromium at /usr/bin/chromium: apt-get install -y chromium"
        if backends.services_required():
            pytest.fail(f"FINETUNE_REQUIRE_SERVICES=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
