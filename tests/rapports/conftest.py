"""Real Celery workers for the report's worker tests (``test_worker.py``).

``tests/worker.py`` starts one solo worker for a test; the report's tests also need a prefork worker
that they can kill with SIGKILL in the middle of a job, then a second worker that takes the job over.
``report_workers`` starts as many as a test asks for, each with its own settings (environment), all on
one queue of the test's own (the report task is routed there through ``task_default_queue``, since
``services.report_request`` names no queue), against the test's database and a media folder of its own
(so that the files a worker stores can be counted). Every worker still alive is stopped after the test.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.db import connection

from tests.worker import START_TIMEOUT, STOP_TIMEOUT, WorkerProcess, _database_url, _ping


@dataclass
class ReportWorkers:
    queue: str
    directory: Path
    media_root: Path
    processes: list = field(default_factory=list)

    def start(self, name: str, *, pool: str = "prefork", env: dict | None = None) -> WorkerProcess:
        """Start a worker (``--concurrency=1``) and wait until it answers a ping. It runs in a session of
        its own, so that ``kill`` reaches its pool's child processes too."""
        from cai.celery import app

        nodename = f"{name}-{self.queue}@localhost"
        log_path = self.directory / f"{name}.log"
        environment = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cai.settings.test",
            "DATABASE_URL": _database_url(connection.settings_dict),
            "CELERY_TASK_ALWAYS_EAGER": "False",
            "CAI_TEST_MEDIA_ROOT": str(self.media_root),
            **(env or {}),
        }
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "cai",
            "worker",
            f"--pool={pool}",
            "--concurrency=1",
            "-Q",
            self.queue,
            "-n",
            nodename,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ]
        with log_path.open("wb") as log:
            process = subprocess.Popen(  # noqa: S603 - our own command line, no shell
                command,
                cwd=django_settings.BASE_DIR,
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.processes.append(process)
        worker = WorkerProcess(
            queue=self.queue,
            nodename=nodename,
            mail_dir=self.directory,
            log_path=log_path,
            process=process,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not _ping(app, nodename):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"The Celery worker {name} did not start. Log:\n{worker.log()}")
        return worker

    @staticmethod
    def kill(worker: WorkerProcess) -> None:
        """SIGKILL the worker and its pool's children (its whole process group): no clean shutdown,
        no acknowledgement, as when a machine dies."""
        os.killpg(worker.process.pid, signal.SIGKILL)
        worker.process.wait(timeout=STOP_TIMEOUT)

    def stop_all(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=STOP_TIMEOUT)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()


@contextmanager
def celery_conf(**values):
    """Change the Celery app's configuration for a while (it is read from the settings only once)."""
    from cai.celery import app

    saved = {key: app.conf[key] for key in values}
    app.conf.update(values)
    try:
        yield
    finally:
        app.conf.update(saved)


@pytest.fixture
def report_workers(transactional_db, tmp_path, settings):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: the real-worker tests need Redis (CI sets it).")
    if connection.vendor != "postgresql":
        pytest.skip(
            "The real-worker tests need PostgreSQL (DATABASE_URL): the worker must share the test database."
        )
    from cai.celery import app

    queue = f"test-report-{uuid.uuid4().hex[:12]}"
    media_root = tmp_path / "media"
    media_root.mkdir()
    settings.MEDIA_ROOT = str(media_root)  # the test reads what the workers store
    workers = ReportWorkers(queue=queue, directory=tmp_path, media_root=media_root)
    try:
        with celery_conf(task_always_eager=False, task_default_queue=queue):  # report_request names no queue
            yield workers
    finally:
        workers.stop_all()
        try:
            with app.connection_for_write() as broker:
                broker.default_channel.queue_delete(queue)
        except Exception:  # noqa: BLE001, S110 - clean-up only: a leftover empty queue is harmless
            pass
