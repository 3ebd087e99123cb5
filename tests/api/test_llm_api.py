"""Live generation with an LLM provider, through HTTP: 503 without charge, key release, fallback."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import httpx
from apiserver import RunningServer, new_account
from resume_support import assert_error, credits_left, generate, upload_base_resume

from fakes.llm_servers import FakeLLMServer, error_reply, openai_reply, running

StartServer = Callable[..., AbstractContextManager[RunningServer]]


@contextmanager
def llm_service(
    start_server: StartServer, **overrides: Any
) -> Iterator[tuple[FakeLLMServer, httpx.Client, str, str]]:
    """A fake LLM, an API server configured for it, a client and a funded account's keys."""
    with running() as llm:
        settings = {
            "llm_provider": "openai",
            "llm_model": "fake-model",
            "llm_base_url": llm.openai_base_url,
            "llm_timeout": 5,
            **overrides,
        }
        with (
            start_server(**settings) as server,
            httpx.Client(base_url=server.base_url, timeout=60) as api,
        ):
            account = new_account(server, "pro", 20, 1000)
            upload_base_resume(api, account.live_key)
            yield llm, api, account.live_key, account.test_key


def test_live_generation_uses_the_llm_and_records_usage(start_server: StartServer) -> None:
    """A live key's generation goes to the provider; usage names its model and tokens."""
    with llm_service(start_server) as (llm, api, live_key, _):
        llm.then(openai_reply({"changes": []}, prompt_tokens=321, completion_tokens=12))
        response = generate(api, live_key, finetune_level="basic")
        assert response.status_code == 200, response.text
        usage = response.json()["usage"]
        assert (usage["model"], usage["input_tokens"], usage["output_tokens"]) == (
            "fake-gpt",
            321,
            12,
        )
        assert len(llm.requests) == 1
        assert credits_left(api, live_key) == 19


def test_test_mode_never_calls_the_llm(start_server: StartServer) -> None:
    """Test keys tailor locally even when an LLM provider is configured."""
    with llm_service(start_server) as (llm, api, _, test_key):
        response = generate(api, test_key)
        assert response.status_code == 200, response.text
        assert llm.requests == []


def test_provider_down_is_503_uncharged_and_releases_the_idempotency_key(
    start_server: StartServer,
) -> None:
    """Persistent 500s: 503 service_unavailable with Retry-After, no charge; the key can retry."""
    with llm_service(start_server) as (llm, api, live_key, _):
        llm.default = error_reply(500, "model crashed")
        key = {"Idempotency-Key": "llm-down-1"}
        response = generate(api, live_key, headers=key, finetune_level="basic")
        assert_error(response, 503, "service_unavailable")
        assert int(response.headers["retry-after"]) >= 1
        assert len(llm.requests) == 3
        assert credits_left(api, live_key) == 20

        llm.default = openai_reply({"changes": []})
        retried = generate(api, live_key, headers=key, finetune_level="basic")
        assert retried.status_code == 200, retried.text
        assert "idempotent-replayed" not in retried.headers
        assert credits_left(api, live_key) == 19


def test_local_fallback_answers_when_the_provider_is_down(start_server: StartServer) -> None:
    """FINETUNE_LLM_FALLBACK=local tailors locally and says so in warnings."""
    with llm_service(start_server, llm_fallback="local") as (llm, api, live_key, _):
        llm.default = error_reply(503, "overloaded")
        response = generate(api, live_key, finetune_level="good")
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["warnings"][0]["code"] == "llm_fallback"
        assert body["usage"]["model"] == "finetune-local"
        assert credits_left(api, live_key) == 18


def test_a_generation_slower_than_many_leases_keeps_its_key(start_server: StartServer) -> None:
    """An LLM answering after four leases: the heartbeat keeps the key, so every retry meanwhile
    is 409 (never a second execution); the first request completes, charged once, and replays."""
    with llm_service(start_server, idempotency_lease_seconds=1) as (llm, api, live_key, _):
        llm.default = openai_reply({"changes": []}, delay=4)
        key = {"Idempotency-Key": "slow-llm"}
        with ThreadPoolExecutor(max_workers=1) as pool:
            first = pool.submit(generate, api, live_key, headers=key, finetune_level="basic")
            while not llm.requests:
                time.sleep(0.05)
            while not first.done():
                retry = generate(api, live_key, headers=key, finetune_level="basic")
                if first.done() and retry.status_code == 200:
                    break  # the first request finished just now: this retry is its replay
                assert_error(retry, 409, "idempotency_key_in_use")
                time.sleep(0.5)
            answer = first.result()
        assert answer.status_code == 200, answer.text
        assert len(llm.requests) == 1
        replay = generate(api, live_key, headers=key, finetune_level="basic")
        assert replay.headers["idempotent-replayed"] == "true"
        assert replay.json()["id"] == answer.json()["id"]
        assert credits_left(api, live_key) == 19
