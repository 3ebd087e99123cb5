"""`finetune serve --access-log/--no-access-log` reaches uvicorn (benchmarks turn it off)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from finetune.cli import app
from finetune.cli import server as server_module


@pytest.mark.parametrize(("flags", "expected"), [([], True), (["--no-access-log"], False)])
def test_access_log_flag_reaches_uvicorn(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, flags: list[str], expected: bool
) -> None:
    """The access log is on by default and off with --no-access-log."""
    monkeypatch.setenv("FINETUNE_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("FINETUNE_DATABASE_URL", raising=False)
    # serve sets FINETUNE_PUBLIC_URL itself; monkeypatch restores its absence afterwards.
    monkeypatch.delenv("FINETUNE_PUBLIC_URL", raising=False)
    captured: dict[str, Any] = {}
    monkeypatch.setattr(server_module.uvicorn, "run", lambda *_a, **kw: captured.update(kw))
    result = CliRunner().invoke(app, ["serve", "--port", "8123", *flags])
    assert result.exit_code == 0, result.output
    assert captured["access_log"] is expected
    assert captured["port"] == 8123
