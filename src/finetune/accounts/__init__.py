"""Accounts, plans, credits and billing cycles."""
