"""MCP tests run ``finetune mcp`` (stdio and HTTP) against a real ``finetune serve``."""

from __future__ import annotations

from live_serve import live_server as live_server  # the session's server for this directory
