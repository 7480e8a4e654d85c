"""Time to build the annual report (``rapports.builder.build_report``) on the bench volume
(100,000 people, 1,000,000 appointments, 60,000 paths) and on a demo-sized database.

A ``ReportJob`` is created as ``tests/rapports/test_jobs.py`` does and built in this process, after
the start-up a worker does once (``rapports.builder.prepare_process``, printed apart); the
builder's own ``job.timings`` give the figures (SQL aggregates), the HTML (template) and the PDF
(WeasyPrint) separately. Printed: each, their total, the wall time of the whole build (with the XLSX
workbook and the job writes), the page count, and the share of figures + HTML in the total.
Bars: figures + HTML under a fifth of the total at both sizes; total under 60 s at 100,000 people.

The demo-sized run happens in a child process on a second PostgreSQL database, ``cai_bench_demo``
(created, migrated and filled with ``load_demo`` the first time).

    .venv/bin/python bench/report.py [--year 2026] [--no-demo] [--explain]
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path as FilePath

sys.path.insert(0, str(FilePath(__file__).resolve().parent.parent))

from bench.common import bench_database_url, setup  # noqa: E402

TOTAL_TARGET_S = 60.0
DEMO_DATABASE = "cai_bench_demo"


def demo_database_url() -> str:
    base = bench_database_url()
    return base[: base.rfind("/") + 1] + DEMO_DATABASE


def report_user():
    from cai.choices import Role
    from cai.models import User

    user = User.objects.filter(role=Role.DIRECTOR, is_active=True).order_by("id").first()
    if user is None:
        user = User.objects.create(username="bench-director", role=Role.DIRECTOR, last_name="Directrice")
    return user


def build(year: int, label: str) -> bool:
    """Build the report twice, without the team's texts (figures alone) and with the demo's sample
    texts (``rapports.demo``: an introduction, comments, perspectives, a word per office), each in a
    transaction rolled back afterwards; print both. True when the bars are met by both."""
    from django.db import transaction

    from rapports.builder import prepare_process
    from rapports.demo import write_sample_texts
    from rapports.models import NarrativeBlock

    # As the worker does when it starts (``rapports.tasks.prepare_worker_process``), before any job.
    started = time.perf_counter()
    prepare_process()
    print(f"{label} : mise en route du processus (moteur de gabarits), {time.perf_counter() - started:.2f} s")
    results = []
    for texts in (False, True):
        with transaction.atomic():
            if texts:
                write_sample_texts(year=year, staff={"direction": report_user()})
            else:
                NarrativeBlock.objects.filter(year=year).delete()
            variant = "avec les textes de démonstration" if texts else "sans texte rédigé"
            results.append(build_once(year, f"{label}, {variant}"))
            transaction.set_rollback(True)
    return all(results)


def build_once(year: int, label: str) -> bool:
    """Build one report and print its timings; True when the bars are met."""
    from accompagnement.models import Appointment, Person
    from rapports.builder import build_report
    from rapports.models import ReportJob

    user = report_user()
    job = ReportJob.objects.create(
        year=year, version=ReportJob.objects.filter(year=year).count() + 1, requested_by=user
    )
    started = time.perf_counter()
    state = build_report(job.pk)
    wall = time.perf_counter() - started
    job.refresh_from_db()
    t = job.timings or {}
    if state != "done":
        print(f"{label} : génération {state} — {job.error if hasattr(job, 'error') else ''}")
        return False
    total = t["total"]
    share = (t["figures"] + t["html"]) / total if total else float("nan")
    share_ok = share < 0.2
    total_ok = total < TOTAL_TARGET_S
    print(
        f"{label} ({Person.objects.count():,} personnes, {Appointment.objects.count():,} rendez-vous), année {year} :\n"
        f"  chiffres {t['figures']:.2f} s · HTML {t['html']:.2f} s · PDF WeasyPrint {t['pdf']:.2f} s · "
        f"total {total:.2f} s ({job.pages} pages)\n"
        f"  génération complète (avec le classeur XLSX et l'écriture du travail) : {wall:.2f} s\n"
        f"  chiffres + HTML = {share:.1%} du total{'  OK' if share_ok else '  AU-DELÀ D’UN CINQUIÈME'}"
    )
    return share_ok and total_ok


def ensure_network_year() -> None:
    """The bench volume holds people, appointments and paths only; a centre of that size also runs its
    network and its trainings. Add the demo's year of them once (110 operators, the 20 groups and
    their meetings, 34 training sessions…), so the report has all its chapters, as a real one would."""
    from django.db import transaction
    from django.utils import timezone

    from accompagnement.demo import ensure_staff
    from formations import demo as formations_demo
    from plateformes import demo as plateformes_demo
    from plateformes.models import Operator

    if Operator.objects.exists():
        return
    started = time.perf_counter()
    with transaction.atomic():
        staff = ensure_staff()
        today = timezone.localdate()
        lines = [
            module.extend_demo(seed=2026, today=today, staff=staff)
            for module in (plateformes_demo, formations_demo)
        ]
    print(
        f"Réseau et formations de l'année ajoutés ({time.perf_counter() - started:.1f} s) : "
        + " ; ".join(lines)
    )


def explain_figures(year: int) -> None:
    """Time each table of the figures separately: which query dominates."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rapports import selectors

    with CaptureQueriesContext(connection) as queries:
        selectors.report_figures(year=year)
    slowest = sorted(queries.captured_queries, key=lambda q: -float(q["time"]))[:3]
    print(f"  {len(queries)} requêtes SQL pour les chiffres ; les plus lentes :")
    for q in slowest:
        print(f"    {float(q['time']) * 1000:.0f} ms : {q['sql'][:300]}")


def run_demo(year: int) -> int:
    env = {**os.environ, "BENCH_DATABASE_URL": demo_database_url()}
    command = [sys.executable, str(FilePath(__file__).resolve()), "--demo-child", "--year", str(year)]
    return subprocess.run(command, env=env, check=False).returncode  # noqa: S603 (this very script)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Temps de génération du rapport annuel.")
    parser.add_argument("--year", type=int, default=dt.date.today().year)
    parser.add_argument("--no-demo", action="store_true", help="ne pas mesurer la base de démonstration")
    parser.add_argument("--explain", action="store_true", help="les requêtes les plus lentes des chiffres")
    parser.add_argument("--demo-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    setup(migrate=args.demo_child)
    if args.demo_child:
        from django.core.management import call_command

        from accompagnement.models import Person

        if not Person.objects.exists():
            print(f"Base {DEMO_DATABASE} : chargement des données de démonstration (load_demo)…")
            call_command("load_demo", force=True, verbosity=0)
        return 0 if build(args.year, "Base de démonstration") else 2

    ensure_network_year()
    print(f"\nRapport annuel · charge {os.getloadavg()[0]:.2f}")
    ok = build(args.year, "Volume du benchmark")
    if args.explain:
        explain_figures(args.year)
    if not args.no_demo:
        ok &= run_demo(args.year) == 0
    print(
        f"Objectifs (chiffres + HTML < 1/5 du total ; total < {TOTAL_TARGET_S:.0f} s) : "
        f"{'atteints' if ok else 'MANQUÉS'}"
    )
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main())
