"""What the benchmark scripts share: Django set-up on the dedicated database, timing statistics."""

import math
import os
import sys
import time
import warnings
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/cai_bench"


def bench_database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)


def ensure_database() -> None:
    """Create the benchmark database when it does not exist yet (connecting to ``postgres``)."""
    import psycopg2
    from psycopg2 import sql

    url = urlsplit(bench_database_url())
    name = url.path.lstrip("/")
    admin = psycopg2.connect(
        host=url.hostname, port=url.port or 5432, user=url.username, password=url.password, dbname="postgres"
    )
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                print(f"Base de données {name} créée.")
    finally:
        admin.close()


def setup(*, migrate: bool = True) -> None:
    """Django on ``bench.settings`` (database ``cai_bench``), created and migrated if needed."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    ensure_database()
    # The benchmark serves no static file: whitenoise's warning about a missing STATIC_ROOT is noise.
    warnings.filterwarnings("ignore", message="No directory at")
    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)


@contextmanager
def stopwatch(label: str):
    """Print how long the block took."""
    start = time.perf_counter()
    yield
    print(f"  {label} : {time.perf_counter() - start:.1f} s")


def percentile(sorted_values: list[float], fraction: float) -> float:
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


def summary(durations_ms: list[float]) -> dict:
    values = sorted(durations_ms)
    return {
        "n": len(values),
        "p50": percentile(values, 0.50),
        "p95": percentile(values, 0.95),
        "max": values[-1] if values else float("nan"),
    }
