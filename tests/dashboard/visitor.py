"""An HTTP client that uses the dashboard the way a browser does: cookies and CSRF tokens."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

# A fresh connection per request: the test server closes idle ones after 5 s, and reusing one
# at that moment fails with "Server disconnected" (tests often idle that long between calls).
NO_KEEPALIVE = httpx.Limits(max_keepalive_connections=0)


def form_value(page: str, name: str) -> str:
    """The value of the first hidden field called ``name`` on ``page``."""
    match = re.search(rf'name="{re.escape(name)}" value="([^"]*)"', page)
    assert match, f"the page has no field {name}"
    return html.unescape(match.group(1))


def csrf_token(page: str) -> str:
    """The CSRF token of the first form on ``page``."""
    return form_value(page, "csrf_token")


class Visitor(httpx.Client):
    def __init__(self, base_url: str, *, address: str | None = None) -> None:
        """``address``: the client address the server sees (sent as ``X-Forwarded-For``, which
        the test server trusts from loopback), to act as visitors from different networks."""
        headers = {"X-Forwarded-For": address} if address else {}
        super().__init__(
            base_url=base_url,
            timeout=60,
            follow_redirects=False,
            limits=NO_KEEPALIVE,
            headers=headers,
        )
        self.email = ""
        self.password = ""

    def submit(
        self, form_page: str, action: str, data: dict[str, Any], **kwargs: Any
    ) -> httpx.Response:
        """Open ``form_page``, then post ``data`` to ``action`` with that page's CSRF token."""
        page = self.get(form_page)
        assert page.status_code == 200, page.text
        return self.post(action, data={**data, "csrf_token": csrf_token(page.text)}, **kwargs)

    def sign_up(self, email: str, password: str) -> httpx.Response:
        """Sign up, then sign in on the page sign-up leads to, as a person does; returns the
        sign-in answer."""
        joined = self.submit(
            "/signup",
            "/signup",
            {"email": email, "password": password, "password_confirm": password},
        )
        assert joined.status_code == 303, joined.text
        page = self.get(joined.headers["location"])
        assert page.status_code == 200, page.text
        answer = self.post(
            "/login",
            data={
                "email": email,
                "password": password,
                "next": form_value(page.text, "next"),
                "csrf_token": csrf_token(page.text),
            },
        )
        assert answer.status_code == 303, answer.text
        self.email, self.password = email, password
        return answer

    def log_in(self, email: str, password: str) -> httpx.Response:
        return self.submit("/login", "/login", {"email": email, "password": password})


_SECRET = re.compile(r'id="new-key-secret"[^>]*>(ft_(?:live|test)_[0-9A-Za-z]+)<')
_RESUME_LINK = re.compile(r'href="/resumes/(res_[a-z0-9]+)"')


def new_key_secret(page: str) -> str:
    """The once-shown secret on the keys page after creating a key."""
    match = _SECRET.search(page)
    assert match, "the page shows no new key"
    return match.group(1)


def resume_ids(page: str) -> list[str]:
    """Resume ids linked from a page, in page order."""
    return _RESUME_LINK.findall(page)
