"""What the people followed per year kept ready by PostgreSQL (``rapports.followed``) cost on the
bench volume (100,000 people, 1,000,000 appointments, 60,000 paths): the report reads them, every
write pays for them.

Printed:
- an appointment recorded as the service does it (INSERT, its request types, a second save), for the
  person with the most appointments and for a person with the median number: time with the triggers
  and with them switched off (each write in a transaction rolled back);
- the same for a bulk write: 1,000 appointments in one ``bulk_create`` and one queryset ``update``;
- a full rebuild (``manage.py followed_years --rebuild``), rolled back;
- the check against the definition for the report's year and the year before.

    .venv/bin/python bench/followed.py [--writes 40] [--no-rebuild]
"""

import argparse
import statistics
import sys
import time
from contextlib import contextmanager
from pathlib import Path as FilePath

sys.path.insert(0, str(FilePath(__file__).resolve().parent.parent))

from bench.common import setup  # noqa: E402


@contextmanager
def triggers(enabled: bool):
    from django.db import connection

    from rapports import followed

    if not enabled:
        with connection.cursor() as cursor:
            for table in followed.SOURCES:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
    try:
        yield
    finally:
        if not enabled:
            with connection.cursor() as cursor:
                for table in followed.SOURCES:
                    cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


def rolled_back(action) -> float:
    """Seconds ``action`` took, in a transaction rolled back afterwards."""
    from django.db import transaction

    with transaction.atomic():
        started = time.perf_counter()
        action()
        elapsed = time.perf_counter() - started
        transaction.set_rollback(True)
    return elapsed


def people_to_write_for():
    from django.db.models import Count

    from accompagnement.models import Appointment

    per_person = list(Appointment.objects.values("person").annotate(n=Count("id")).order_by("-n", "person"))
    return {"la plus suivie": per_person[0], "médiane": per_person[len(per_person) // 2]}


def one_appointment(person_id: int, model):
    from django.utils import timezone

    from accompagnement.models import Appointment, RequestType

    types = list(RequestType.objects.order_by("position")[:2])

    def write():
        appointment = Appointment.objects.create(
            person_id=person_id,
            office_id=model.office_id,
            counsellor_id=model.counsellor_id,
            starts_at=timezone.now(),
            duration_minutes=30,
        )
        appointment.request_types.set(types)
        appointment.notes = "Suivi"
        appointment.save()

    return write


def bulk_appointments(model):
    from django.utils import timezone

    from accompagnement.models import Appointment

    def write():
        people = list(Appointment.objects.values_list("person_id", flat=True).distinct()[:1000])
        created = Appointment.objects.bulk_create(
            Appointment(
                person_id=person,
                office_id=model.office_id,
                counsellor_id=model.counsellor_id,
                starts_at=timezone.now(),
                duration_minutes=30,
            )
            for person in people
        )
        Appointment.objects.filter(pk__in=[a.pk for a in created]).update(duration_minutes=45)

    return write


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Coût des personnes suivies par année tenues à jour.")
    parser.add_argument("--writes", type=int, default=40)
    parser.add_argument("--no-rebuild", action="store_true")
    args = parser.parse_args(argv)
    setup()
    from django.utils import timezone

    from accompagnement.models import Appointment
    from rapports import followed, selectors

    print("\nPersonnes suivies par année, tenues à jour par PostgreSQL")
    for label, row in people_to_write_for().items():
        model = Appointment.objects.filter(person_id=row["person"]).first()
        medians = {}
        for enabled in (True, False):
            with triggers(enabled):
                rolled_back(one_appointment(row["person"], model))  # warm-up
                times = [rolled_back(one_appointment(row["person"], model)) for _ in range(args.writes)]
            medians[enabled] = statistics.median(times) * 1000
        print(
            f"  rendez-vous enregistré (création, 2 types, modification), personne {label} "
            f"({row['n']} rendez-vous) : {medians[True]:.1f} ms avec les déclencheurs, "
            f"{medians[False]:.1f} ms sans (+{medians[True] - medians[False]:.1f} ms)"
        )
    model = Appointment.objects.first()
    bulk = dict.fromkeys((True, False))
    for enabled in bulk:
        with triggers(enabled):
            bulk[enabled] = rolled_back(bulk_appointments(model))
    print(
        f"  1 000 rendez-vous (bulk_create + update) : {bulk[True]:.2f} s avec les déclencheurs, "
        f"{bulk[False]:.2f} s sans"
    )
    if not args.no_rebuild:
        elapsed = rolled_back(followed.rebuild)
        print(f"  recalcul complet (followed_years --rebuild) : {elapsed:.1f} s")
    year = timezone.localdate().year
    started = time.perf_counter()
    differences = selectors.ready_rows_differences([year - 1, year])
    print(
        f"  comparaison avec la définition ({year - 1}, {year}) : "
        f"{'conforme' if not differences else f'{len(differences)} écart(s)'} "
        f"({time.perf_counter() - started:.1f} s)"
    )
    for line in differences:
        print(f"    {line}")
    return 0 if not differences else 2


if __name__ == "__main__":
    sys.exit(main())
