"""The web dashboard: accounts, base resume, API keys, resumes, "try it" and usage.

Server-rendered Jinja2 pages with htmx, mounted beside the API by :class:`DashboardMount`.
"""

from finetune.dashboard.app import DashboardMount, create_dashboard

__all__ = ["DashboardMount", "create_dashboard"]
