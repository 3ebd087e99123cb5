"""Interfaces for AI agents: the MCP server (``finetune mcp``)."""
