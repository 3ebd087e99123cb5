"""Rendered PDFs served under ``/files``, by owner key or signed, expiring link."""
