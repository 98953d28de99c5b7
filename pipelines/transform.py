"""The dbt project (`dbt/`) run against the platform's database: the profile is generated from the
settings (never hand-edited), and dbt runs as the venv's own `dbt` executable, as dagster-dbt does."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

from fintra.database import database_url
from fintra.settings import get_settings

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt"
SCHEMA = "analytics"
PASSWORD_VARIABLE = "FINTRA_DBT_PASSWORD"  # the password reaches dbt through the environment, not a file


def profile_yaml(url: str, threads: int = 2) -> str:
    """A dbt `profiles.yml` for the database at `url` (a Unix-socket host works: dbt passes it to libpq)."""
    info = conninfo_to_dict(url)
    fields = {
        "type": "postgres",
        "host": info.get("host") or "localhost",
        "port": int(info.get("port") or 5432),
        "user": info.get("user") or "postgres",
        "password": "{{ env_var('" + PASSWORD_VARIABLE + "', '') }}",
        "dbname": info.get("dbname") or "postgres",
        "schema": SCHEMA,
        "threads": threads,
    }
    lines = [f"      {k}: {_quoted(v)}" for k, v in fields.items()]
    return "fintra:\n  target: default\n  outputs:\n    default:\n" + "\n".join(lines) + "\n"


def _quoted(value: object) -> str:
    return str(value) if isinstance(value, int) else '"' + str(value).replace('"', '\\"') + '"'


def dbt_home(url: str | None = None) -> Path:
    """FINTRA_HOME/dbt with a profile for `url` (default: the configured database)."""
    home = get_settings().home_dir / "dbt"
    home.mkdir(parents=True, exist_ok=True)
    (home / "profiles.yml").write_text(profile_yaml(url or database_url(get_settings())))
    return home


def run_dbt(args: list[str], url: str | None = None, *, capture: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>` on the project with the generated profile; target and logs under FINTRA_HOME."""
    url = url or database_url(get_settings())
    home = dbt_home(url)
    env = {
        **os.environ,
        PASSWORD_VARIABLE: conninfo_to_dict(url).get("password") or "",
        "DBT_PROFILES_DIR": str(home),
        "DBT_PROJECT_DIR": str(PROJECT_DIR),
        "DBT_TARGET_PATH": str(home / "target"),
        "DBT_LOG_PATH": str(home / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_VERSION_CHECK": "false",
    }
    executable = str(Path(sys.executable).with_name("dbt"))
    return subprocess.run([executable, *args], env=env, text=True, capture_output=capture, check=False)
