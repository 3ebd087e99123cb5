"""SDK tests talk to a real ``finetune serve`` (``live_server``) with accounts made by
``finetune admin create-account``; the retry tests use a scripted fake transport instead."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from finetune.client import Finetune
from live_serve import Account, LiveServer, create_account, resume_document
from live_serve import live_server as live_server  # the session's server for this directory


@pytest.fixture(scope="module")
def account(live_server: LiveServer) -> Account:
    """One account per test module, with the software engineer's resume as its base resume."""
    made = create_account(live_server, credits=100)
    with Finetune(made.test_key, live_server.base_url) as client:
        client.base_resume.put(resume_document())
    return made


@pytest.fixture
def client(live_server: LiveServer, account: Account) -> Iterator[Finetune]:
    """A synchronous client with the account's test key."""
    with Finetune(account.test_key, live_server.base_url) as sdk:
        yield sdk
