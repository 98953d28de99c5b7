"""The dbt project (`dbt/`) run against the platform's database: the profile is generated from the
settings (never hand-edited), and dbt runs as the venv's own `dbt` executable, as dagster-dbt does.

The Dagster code location needs dbt's manifest when it loads; `manifest_path()` parses the project
once per version of its files (and of dbt) into the user's cache folder, where every FINTRA_HOME on the
machine finds it: a parse takes seconds, and a new home (a test's, a second bank's) would repeat it.
Parsing needs a profile but no connection, so loading the definitions never starts or reaches a database.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from psycopg.conninfo import conninfo_to_dict

from fintra.cache import cache_folder, forget_old, used
from fintra.database import database_url
from fintra.settings import get_settings

PROJECT_DIR = Path(__file__).resolve().parents[1] / "dbt"
SCHEMA = "analytics"
PASSWORD_VARIABLE = "FINTRA_DBT_PASSWORD"  # the password reaches dbt through the environment, not a file
DBT = str(Path(sys.executable).with_name("dbt"))
# Parsing only: dbt needs a profile of the right adapter, never connects while parsing.
PARSE_URL = "postgresql://fintra@localhost:5432/fintra"
PROJECT_FILES = ("dbt_project.yml", "models", "macros", "tests", "seeds")
# The platform's build: every model and seed, each with its data tests. dbt's unit tests check the models'
# SQL on fixed inputs, the same answer whatever the ledger holds: they run where the code changes (the test
# suite, and `fintra dbt build` as a developer runs it), not in every day's build.
BUILD = ["build", "--exclude-resource-type", "unit_test"]


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


def dbt_environment(url: str, home: Path) -> dict[str, str]:
    """The environment dbt runs in: profile, target and logs under `home`, the password from `url`."""
    return {
        **os.environ,
        PASSWORD_VARIABLE: conninfo_to_dict(url).get("password") or "",
        "DBT_PROFILES_DIR": str(home),
        "DBT_PROJECT_DIR": str(PROJECT_DIR),
        "DBT_TARGET_PATH": str(home / "target"),
        "DBT_LOG_PATH": str(home / "logs"),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        "DBT_VERSION_CHECK": "false",
    }


@contextmanager
def password_in_environment(url: str) -> Iterator[None]:
    """The database password in this process's environment for the duration (dagster-dbt starts dbt
    with a copy of os.environ and no other way to pass it)."""
    previous = os.environ.get(PASSWORD_VARIABLE)
    os.environ[PASSWORD_VARIABLE] = conninfo_to_dict(url).get("password") or ""
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(PASSWORD_VARIABLE, None)
        else:
            os.environ[PASSWORD_VARIABLE] = previous


def run_dbt(args: list[str], url: str | None = None, *, capture: bool = False) -> subprocess.CompletedProcess[str]:
    """Run `dbt <args>` on the project with the generated profile; target and logs under FINTRA_HOME.

    A build or run first screens the ledger's new counterparty names (`pipelines.screening`): the
    sanctions mart reads the screening's results as a source."""
    url = url or database_url(get_settings())
    if args and args[0] in ("build", "run"):
        from pipelines.screening import screen_counterparties

        screen_counterparties(url)
    home = dbt_home(url)
    pipe = subprocess.PIPE if capture else None
    with subprocess.Popen([DBT, *args], env=dbt_environment(url, home), text=True, stdout=pipe, stderr=pipe) as dbt:
        try:
            while True:
                # Waiting in short slices: a blocking wait is woken only by a signal delivered to this
                # thread, and with polars or ADBC loaded a SIGINT sent to this process (not to its group,
                # as a terminal's Ctrl-C is) lands on one of their threads: dbt would run on.
                try:
                    stdout, stderr = dbt.communicate(timeout=0.5)
                    break
                except subprocess.TimeoutExpired:
                    continue
        except BaseException:
            dbt.terminate()
            try:
                dbt.wait(timeout=10)
            except subprocess.TimeoutExpired:
                dbt.kill()
            raise
    return subprocess.CompletedProcess(dbt.args, dbt.returncode, stdout, stderr)


def project_fingerprint() -> str:
    """SHA-256 over the dbt project's folder, dbt's version and the project's files (names and contents):
    changes whenever a model, test, macro, seed or the project file does (the manifest names the folder)."""
    dbt = "\0".join(version(package) for package in ("dbt-core", "dbt-adapters", "dbt-postgres"))
    digest = hashlib.sha256(f"{PROJECT_DIR}\0{dbt}\0".encode())
    paths = []
    for name in PROJECT_FILES:
        root = PROJECT_DIR / name
        paths += [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
    for path in paths:
        digest.update(str(path.relative_to(PROJECT_DIR)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


KEPT_MANIFESTS = 4  # project versions kept in the cache (a branch switch back does not re-parse)


def manifest_path() -> Path:
    """dbt's manifest.json for the current project files, parsed on first use after a change."""
    fingerprint = project_fingerprint()
    folder = cache_folder("dbt") / fingerprint[:32]
    manifest, stamp = folder / "manifest.json", folder / "project.sha256"
    if manifest.exists() and stamp.exists() and stamp.read_text() == fingerprint:
        used(stamp)
        return manifest
    folder.mkdir(parents=True, exist_ok=True)
    # Parse in a private folder and move the result in: code servers and daemons load concurrently.
    with tempfile.TemporaryDirectory(dir=folder) as scratch:
        work = Path(scratch)
        (work / "profiles.yml").write_text(profile_yaml(PARSE_URL))
        env = dbt_environment(PARSE_URL, work)
        result = subprocess.run([DBT, "parse"], env=env, text=True, capture_output=True, check=False)
        if result.returncode != 0:
            raise RuntimeError(f"dbt could not parse {PROJECT_DIR}:\n{result.stdout[-3000:]}{result.stderr[-2000:]}")
        (work / "target" / "manifest.json").replace(manifest)
        (work / "stamp").write_text(fingerprint)
        (work / "stamp").replace(stamp)
    forget_old(folder.parent, KEPT_MANIFESTS, "project.sha256")
    return manifest
