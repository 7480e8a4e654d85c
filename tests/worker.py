"""A real Celery worker for the tests that must prove a job runs outside the web process.

The fixture ``celery_worker_process`` starts ``celery -A cai worker`` as a subprocess on Redis, on a
queue of its own (other test runs sharing the Redis never take its tasks), pointed at the test's own
database, and stops it after the test. Tasks are then really sent (``task_always_eager`` is switched off
for the test). The worker writes its e-mail to files (Django's file-based backend) that the test reads
with ``sent_mail()``.

Requirements: ``REDIS_URL`` (the test is skipped without it) and PostgreSQL (``DATABASE_URL``: an
SQLite test database lives in the test process's memory, out of the worker's reach). Use it from a
test module::

    from tests.worker import celery_worker_process  # noqa: F401  (a fixture)

    @pytest.mark.worker
    @pytest.mark.django_db(transaction=True)  # the worker must see committed rows
    def test_the_job_runs(celery_worker_process):
        my_task.apply_async(queue=celery_worker_process.queue)
        celery_worker_process.wait_for(lambda: Result.objects.exists())
"""

import email
import email.policy
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection

START_TIMEOUT = 30.0  # seconds for the worker to answer a ping
STOP_TIMEOUT = 10.0
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what the file-based backend writes after each message


@dataclass
class WorkerProcess:
    """A running worker: send tasks to ``queue``; ``wait_for`` a condition; read ``sent_mail``."""

    queue: str
    nodename: str
    mail_dir: Path
    log_path: Path
    process: subprocess.Popen

    def log(self, tail: int | None = 4000) -> str:
        text = self.log_path.read_text(encoding="utf-8", errors="replace")
        return text[-tail:] if tail else text

    def tasks_succeeded(self) -> int:
        """How many tasks the worker has finished without error (from its INFO log)."""
        return self.log(tail=None).count(" succeeded in ")

    def wait_for(
        self, condition: Callable[[], bool], *, timeout: float = 20.0, what: str = "the condition"
    ) -> None:
        """Poll ``condition`` until it holds; fail with the worker's log if it does not in time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                pytest.fail(f"The worker stopped (exit {self.process.returncode}). Log:\n{self.log()}")
            time.sleep(0.1)
        pytest.fail(f"{what} did not happen within {timeout:.0f} s. Worker log:\n{self.log()}")

    def sent_mail(self) -> list[email.message.EmailMessage]:
        """Every message the worker sent, oldest file first (one file per mail connection)."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            for chunk in path.read_bytes().split(MAIL_SEPARATOR):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return messages


def _database_url(config: dict) -> str:
    """The URL of the database the test runs on (pytest-django's ``test_…`` database)."""
    user = quote(config.get("USER") or "", safe="")
    password = quote(config.get("PASSWORD") or "", safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = config.get("HOST") or "127.0.0.1"
    port = f":{config['PORT']}" if config.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(config['NAME'], safe='')}"


def _ping(app, nodename: str) -> bool:
    try:
        return bool(app.control.ping(destination=[nodename], timeout=0.5))
    except Exception:  # noqa: BLE001 - the broker may refuse while the worker starts
        return False


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: the real-worker tests need Redis (CI sets it).")
    if connection.vendor != "postgresql":
        pytest.skip(
            "The real-worker tests need PostgreSQL (DATABASE_URL): the worker must share the test database."
        )
    from cai.celery import app

    queue = f"test-{uuid.uuid4().hex[:12]}"
    nodename = f"{queue}@localhost"
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    log_path = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cai.settings.test",
        "DATABASE_URL": _database_url(connection.settings_dict),
        "CELERY_TASK_ALWAYS_EAGER": "False",
        "CAI_TEST_EMAIL_FILE_PATH": str(mail_dir),
    }
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "cai",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "-Q",
        queue,
        "-n",
        nodename,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "--loglevel=INFO",
    ]
    was_eager = app.conf.task_always_eager
    app.conf.task_always_eager = False
    with log_path.open("wb") as log:
        process = subprocess.Popen(  # noqa: S603 - our own command line, no shell
            command, cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT
        )
    worker = WorkerProcess(
        queue=queue, nodename=nodename, mail_dir=mail_dir, log_path=log_path, process=process
    )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not _ping(app, nodename):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker did not start. Log:\n{worker.log()}")
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        app.conf.task_always_eager = was_eager
        _forget_queue(app, queue)


def _forget_queue(app, queue: str) -> None:
    """Remove what the worker left in Redis for its queue (the queue and its bindings: kombu keys that
    contain the queue's unique name)."""
    try:
        with app.connection_for_write() as broker:
            client = broker.default_channel.client
            keys = list(client.scan_iter(match=f"*{queue}*"))
            if keys:
                client.delete(*keys)
    except Exception:  # noqa: BLE001, S110 - clean-up only: leftover keys are harmless
        pass
