"""Regenerate ``versions/0001_initial.py`` from ``finetune.models``.

Until the first release the schema has one migration, rebuilt whenever a model changes:
``.venv/bin/python -m finetune.migrations.regenerate``. After the first release, add new
revisions instead.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import create_engine

from finetune.db import MIGRATIONS_DIR

INITIAL = MIGRATIONS_DIR / "versions" / "0001_initial.py"


def regenerate() -> Path:
    """Rewrite the initial migration by autogenerating against an empty database."""
    INITIAL.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'empty.db'}")
        with engine.begin() as connection:
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            command.revision(config, message="initial", autogenerate=True, rev_id="0001")
        engine.dispose()
    ruff = Path(sys.executable).parent / "ruff"
    subprocess.run([str(ruff), "format", "-q", str(INITIAL)], check=True)
    subprocess.run([str(ruff), "check", "--fix", "-q", str(INITIAL)], check=True)
    return INITIAL


if __name__ == "__main__":
    print(regenerate())
