"""Server time of the "Échéances" page (``parcours:deadlines``) on the loaded paths (load_paths.py).

Whole Django stack with the signed-in test ``Client`` as in ``people.py``, for a Namur counsellor
and the director: the default page (horizon 60 days, first page) and filtered variants (a kind,
another horizon, overdue only, a sort, a page, an office for the director). p50/p95/max, Python CPU
p50, SQL queries per request; then the selector alone and ``EXPLAIN ANALYZE`` of ``deadline_rows``.
Bar: p95 < 200 ms.

    .venv/bin/python bench/paths.py [--requests 100] [--warmup 10]
"""

import argparse
import datetime as dt
import os
import random
import sys
from pathlib import Path as FilePath

sys.path.insert(0, str(FilePath(__file__).resolve().parent.parent))

from bench import people  # noqa: E402
from bench.common import setup  # noqa: E402

TARGET_MS = 200
SEED = 11


def filtered_params(user, rng: random.Random, count: int) -> list[dict]:
    from accompagnement.models import Office

    offices = list(Office.objects.values_list("pk", flat=True)) if user.reads_all_people else []
    params = []
    for _ in range(count):
        query = {
            "kind": rng.choice(["", "presentation", "evaluation", "attestation"]),
            "horizon": rng.choice(["30", "60", "90"]),
            "overdue": rng.choice(["", "on"]),
            "tri": rng.choice(["", "personne", "-echeance", "bureau"]),
            "page": rng.choice(["", "2", "3"]),
        }
        if offices:
            query["office"] = rng.choice([*offices, ""])
        params.append({k: v for k, v in query.items() if v})
    return params


def measures(user, who: str, client, count: int, rng: random.Random) -> list:
    from django.urls import reverse
    from django.utils import timezone

    from parcours import selectors

    url = reverse("parcours:deadlines")
    default = [(lambda: client.get(url)) for _ in range(count)]
    filtered = [(lambda p=p: client.get(url, p)) for p in filtered_params(user, rng, count)]
    horizon = timezone.localdate() + dt.timedelta(days=60)

    def selector_run():
        rows = selectors.deadline_rows(user=user, horizon=horizon)
        return rows.count(), selectors.deadline_page_items(rows[:50])

    items = selectors.deadline_rows(user=user, horizon=horizon).count()
    paths = len({row["id"] for row in selectors.deadline_rows(user=user, horizon=horizon)})
    note = f"{paths:,} parcours, {items:,} échéances à 60 jours (50 par page)"
    return [
        people.Measure("Échéances, horizon par défaut (GET)", who, default, target=True, notes=[note]),
        people.Measure(
            "Échéances filtrées (GET)",
            who,
            filtered,
            target=True,
            notes=["type, horizon, en retard, tri, page"],
        ),
        people.Measure(
            "deadline_rows (compte + 1re page)", who, [selector_run] * count, via="sélecteur", notes=[note]
        ),
    ]


def explain(user, who: str) -> None:
    from django.utils import timezone

    from parcours import selectors

    horizon = timezone.localdate() + dt.timedelta(days=60)
    plan = selectors.deadline_rows(user=user, horizon=horizon)[:50].explain(analyze=True, buffers=True)
    print(f"\nEXPLAIN ANALYZE deadline_rows (1re page) · {who} :\n    " + plan.replace("\n", "\n    "))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Temps serveur de la page « Échéances ».")
    parser.add_argument("--requests", type=int, default=100)
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--explain", action="store_true", help="afficher les plans de deadline_rows")
    args = parser.parse_args(argv)
    setup(migrate=False)
    from parcours.models import Path
    from tests.conftest import signed_in_client

    if not Path.objects.exists():
        print("Aucun parcours : lancez d'abord bench/load_paths.py.")
        return 1
    print(f"\n{Path.objects.count():,} parcours · charge {os.getloadavg()[0]:.2f}")
    rng = random.Random(SEED)
    total = args.requests + args.warmup
    all_measures = []
    for who, user in people.users().items():
        all_measures.extend(measures(user, who, signed_in_client(user), total, rng))
    print(f"\nTemps serveur par requête ({args.warmup} d'échauffement, puis {args.requests} mesurées) :")
    all_ok = True
    saved, people.TARGET_MS = people.TARGET_MS, TARGET_MS
    try:
        for measure in all_measures:
            result = people.run_measure(measure, args.warmup)
            all_ok &= people.print_result(measure, result)
    finally:
        people.TARGET_MS = saved
    if args.explain or not all_ok:
        for who, user in people.users().items():
            explain(user, who)
    print(f"Charge après les mesures : {os.getloadavg()[0]:.2f}")
    print(f"Objectif p95 < {TARGET_MS} ms (échéances) : {'atteint' if all_ok else 'MANQUÉ'}")
    return 0 if all_ok else 2


if __name__ == "__main__":
    sys.exit(main())
