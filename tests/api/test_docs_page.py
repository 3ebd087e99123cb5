"""/docs (Swagger UI) and /redoc work offline: every script and stylesheet comes from this
server, never a CDN, and Swagger UI's "Authorize" sends X-API-Key so "Try it out" works."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
from apiserver import AccountKeys, RunningServer

from browser_support import chromium

ASSET = re.compile(r"""<(?:script|link)\b[^>]*?\b(?:src|href)=["']([^"']+)["']""", re.I)


@pytest.mark.parametrize("page", ["/docs", "/redoc"])
def test_docs_pages_load_every_asset_from_this_server(api: httpx.Client, page: str) -> None:
    """The page names only same-origin assets, and each of them is served."""
    response = api.get(page)
    assert response.status_code == 200
    assets = ASSET.findall(response.text)
    assert any(asset.endswith(".js") for asset in assets), assets
    for asset in assets:
        assert asset.startswith("/") and not asset.startswith("//"), asset
        served = api.get(asset)
        assert served.status_code == 200, asset
        assert len(served.content) > 1000, asset
    assert "cdn." not in response.text and "fonts.googleapis" not in response.text
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "img-src 'self' data:" in policy


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """A headless Chromium, or a skip (a failure when services are required)."""
    with chromium() as launched:
        yield launched


@pytest.fixture
def offline_page(browser: Any, server: RunningServer) -> Iterator[tuple[Any, list[str]]]:
    """A tab that can reach only the test server; the list collects what it tried elsewhere."""
    context = browser.new_context(base_url=server.base_url)
    own_host = urlsplit(server.base_url).netloc
    blocked: list[str] = []

    def only_this_server(route: Any) -> None:
        url = route.request.url
        if urlsplit(url).netloc == own_host or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", only_this_server)
    yield context.new_page(), blocked
    context.close()


@pytest.mark.services
def test_swagger_ui_renders_offline_and_try_it_out_sends_the_key(
    offline_page: tuple[Any, list[str]], make_account: Callable[..., AccountKeys]
) -> None:
    """Offline, /docs renders the operations; after "Authorize" with a key, "Try it out" on
    GET /api/v1/usage sends X-API-Key and gets 200."""
    page, blocked = offline_page
    # Playwright's loop runs in this thread; the account helper needs one of its own.
    with ThreadPoolExecutor(1) as other_thread:
        key = other_thread.submit(make_account).result().test_key
    page.goto("/docs")
    page.locator('.opblock-summary-path[data-path="/api/v1/usage"]').click()
    page.locator("button.authorize").first.click()
    page.locator(".auth-container input").fill(key)
    page.locator(".auth-btn-wrapper button.authorize").click()
    page.locator(".auth-btn-wrapper button.btn-done").click()
    page.locator("button.try-out__btn").click()
    with page.expect_response(lambda r: r.url.endswith("/api/v1/usage")) as answer:
        page.locator("button.execute").click()
    assert answer.value.status == 200
    assert answer.value.request.headers.get("x-api-key") == key
    assert blocked == []


@pytest.mark.services
def test_redoc_renders_offline(offline_page: tuple[Any, list[str]]) -> None:
    """Offline, /redoc renders the API's operations."""
    page, blocked = offline_page
    page.goto("/redoc")
    page.locator("h2", has_text="Replace the account's base resume").wait_for()
    assert blocked == []
