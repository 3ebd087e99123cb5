"""Finetune: self-hostable resume tailoring with verifiable truthfulness."""

__version__ = "0.1.0"
