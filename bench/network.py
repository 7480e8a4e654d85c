"""Server time of every list page of the partner network and the trainings, on ten times the demo
volume (load_network.py).

Whole Django stack with the signed-in test ``Client``, as in ``people.py``: as a coordinator for every
page, and as a counsellor of Namur for the offer search (the one network page counsellors use). Each
page gets a realistic mix, in turn: the first page, a sorted page (a column header, ``?tri=``), a
filtered page (the filters of the page's form, as the HTMX filter form sends them, a fragment) and a
later page. The meeting calendar has no parameter; the programme varies its year; the page of a
session (its registrations) varies the session. 20 warm-up requests, then 200 timed ones per page;
SQL queries counted on 10 requests of the mix apart from the timed ones (a range when the variants
differ). Printed per page: queries, p50, p95, max, Python CPU p50 and the rows behind the page (what
the user may see unfiltered). Bar: p95 < 200 ms; exit status 2 when a page misses it.

    .venv/bin/python bench/network.py [--requests 200] [--warmup 20] [--only operator_list,...]
"""

import argparse
import os
import random
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import people  # noqa: E402
from bench.common import setup  # noqa: E402

TARGET_MS = 200
SEED = 13
PAGE_SIZE = 25
HTMX = {"HX-Request": "true"}


@dataclass
class Page:
    """A list page: its URL name, who asks, and its variants (each returns the GET parameters and
    whether it is an HTMX fragment request)."""

    name: str
    label: str
    who: str
    rows: int
    first: Callable | None = None
    sorted: Callable | None = None
    filtered: Callable | None = None
    later: Callable | None = None
    url_args: Callable | None = None  # for a detail page listing rows (varies per request)


def later_page(rng: random.Random, rows: int) -> dict:
    pages = max(1, -(-rows // PAGE_SIZE))
    return {"page": str(rng.randint(2, pages))} if pages > 1 else {}


def pick(rng: random.Random, **choices) -> dict:
    """One value per key, drawn from its list; empty values dropped."""
    drawn = {key: rng.choice(values) for key, values in choices.items()}
    return {key: str(value) for key, value in drawn.items() if value not in ("", None)}


def network_pages(coordinator, counsellor) -> list[Page]:
    from django.utils import timezone

    from accompagnement.models import Commune, Office
    from formations import selectors as fselectors
    from formations.models import Training, TrainingSession
    from plateformes import selectors
    from plateformes.choices import (
        AwarenessKind,
        GovernanceKind,
        GroupKind,
        GroupStatus,
        InterpellationKind,
        Level,
        OfferKind,
        OperatorKind,
        SupportKind,
        Team,
    )
    from plateformes.filters import staff_users
    from plateformes.models import Operator

    offices = list(Office.objects.values_list("pk", flat=True))
    namur = Office.objects.get(slug="namur").pk
    communes = list(Commune.objects.values_list("pk", flat=True))
    operators = list(Operator.objects.values_list("pk", flat=True))
    staff = list(staff_users().filter(support_actions__isnull=False).distinct().values_list("pk", flat=True))
    trainings = list(Training.objects.values_list("pk", flat=True))
    year = timezone.localdate().year
    years = list(range(year - 9, year + 1))
    busiest_sessions = list(
        fselectors.session_queryset(user=coordinator)
        .order_by("-registered_count", "-id")
        .values_list("pk", flat=True)[:50]
    )

    def count(selector, user=coordinator):
        return selector(user=user).count()

    offer_rows = count(selectors.offer_list)
    counsellor_offer_rows = count(selectors.offer_list, counsellor)
    op_rows = count(selectors.operator_list)
    pages = [
        Page(
            "plateformes:operator_list",
            "Opérateurs",
            "coordination",
            op_rows,
            sorted=lambda rng: pick(rng, tri=["-offres", "commune", "type", "-nom", "agrement"]),
            filtered=lambda rng: pick(
                rng,
                kind=["", *OperatorKind.values],
                territory=["", *offices],
                active=["", "true"],
                q=["", "", "Namur", "CPAS", "site"],
            ),
            later=lambda rng: later_page(rng, op_rows),
        ),
        Page(
            "plateformes:offer_search",
            "Trouver une offre",
            "coordination",
            offer_rows,
            sorted=lambda rng: pick(rng, tri=["operateur", "-commune", "niveau", "type", "intitule"]),
            filtered=lambda rng: pick(
                rng,
                territory=offices,
                kind=["", *OfferKind.values],
                level=["", "", "A1", "A2", "alpha"],
                commune=["", "", "", *communes],
                operator=["", "", "", "", *operators],
            ),
            later=lambda rng: later_page(rng, offer_rows),
        ),
        Page(
            "plateformes:offer_search",
            "Trouver une offre",
            "accompagnateur Namur",
            counsellor_offer_rows,
            sorted=lambda rng: pick(rng, tri=["operateur", "-commune", "niveau", "type"], territory=[namur]),
            filtered=lambda rng: pick(
                rng,
                territory=[namur, namur, *offices],
                kind=["", *OfferKind.values],
                level=["", "", "A1", "A2", "alpha"],
                q=["", "", "français", "permanence"],
            ),
            later=lambda rng: later_page(rng, counsellor_offer_rows),
        ),
    ]
    support_rows = count(selectors.support_action_list)
    group_rows = count(selectors.group_list)
    awareness_rows = count(selectors.awareness_action_list)
    interpellation_rows = count(selectors.interpellation_list)
    governance_rows = count(selectors.governance_meeting_list)
    staff_rows = count(selectors.staff_member_list)
    acronym_rows = count(selectors.acronym_list)
    pages += [
        Page(
            "plateformes:support_action_list",
            "Actions de soutien",
            "coordination",
            support_rows,
            sorted=lambda rng: pick(rng, tri=["date", "operateur", "type", "-equipe"]),
            filtered=lambda rng: pick(
                rng,
                year=["", *years],
                kind=["", *SupportKind.values],
                staff=["", *staff],
                operator=["", "", "", *operators],
            ),
            later=lambda rng: later_page(rng, support_rows),
        ),
        Page(
            "plateformes:group_list",
            "Plateformes et groupes",
            "coordination",
            group_rows,
            sorted=lambda rng: pick(rng, tri=["prochaine", "-membres", "nom", "etat", "type"]),
            filtered=lambda rng: pick(
                rng,
                kind=["", *GroupKind.values],
                status=["", *GroupStatus.values],
                office=["", *offices],
                q=["", "", "santé", "Namur"],
            ),
            later=lambda rng: later_page(rng, group_rows),
        ),
        Page(
            "plateformes:meeting_calendar",
            "Calendrier des réunions (90 j)",
            "coordination",
            selectors.upcoming_meetings(user=coordinator).count(),
        ),
        Page(
            "plateformes:awareness_action_list",
            "Actions de sensibilisation",
            "coordination",
            awareness_rows,
            sorted=lambda rng: pick(rng, tri=["date", "type", "titre", "-public"]),
            filtered=lambda rng: pick(
                rng, kind=["", *AwarenessKind.values], year=["", *years], q=["", "", "forum", "Namur"]
            ),
            later=lambda rng: later_page(rng, awareness_rows),
        ),
        Page(
            "plateformes:interpellation_list",
            "Interpellations",
            "coordination",
            interpellation_rows,
            sorted=lambda rng: pick(rng, tri=["date", "niveau", "type", "titre", "commune"]),
            filtered=lambda rng: pick(
                rng,
                level=["", *Level.values],
                kind=["", *InterpellationKind.values],
                year=["", *years],
                q=["", "", "motion"],
            ),
            later=lambda rng: later_page(rng, interpellation_rows),
        ),
        Page(
            "plateformes:governance_meeting_list",
            "Instances",
            "coordination",
            governance_rows,
            sorted=lambda rng: pick(rng, tri=["date", "instance", "-instance"]),
            filtered=lambda rng: pick(rng, kind=["", *GovernanceKind.values], year=years),
            later=lambda rng: later_page(rng, governance_rows),
        ),
        Page(
            "plateformes:staff_member_list",
            "Équipe",
            "coordination",
            staff_rows,
            sorted=lambda rng: pick(rng, tri=["nom", "equipe", "fonction", "-depuis"]),
            filtered=lambda rng: pick(
                rng, team=["", *Team.values], current=["", "true", "false"], q=["", "", "Dubois", "projets"]
            ),
            later=lambda rng: later_page(rng, staff_rows),
        ),
        Page(
            "plateformes:acronym_list",
            "Glossaire des sigles",
            "coordination",
            acronym_rows,
            sorted=lambda rng: pick(rng, tri=["sigle", "-sigle", "signification"]),
            filtered=lambda rng: pick(rng, q=["A", "CP", "réseau", "formation", "ILI"]),
            later=lambda rng: later_page(rng, acronym_rows),
        ),
    ]
    training_rows = count(fselectors.training_queryset)
    session_rows = count(fselectors.session_queryset)
    themes = list(Training.objects.exclude(theme="").values_list("theme", flat=True).distinct())
    pages += [
        Page(
            "formations:training_list",
            "Formations (catalogue)",
            "coordination",
            training_rows,
            sorted=lambda rng: pick(rng, tri=["titre", "-sessions", "prochaine", "theme"]),
            filtered=lambda rng: pick(
                rng,
                theme=["", *themes],
                active=["", "true", "false"],
                on_request=["", "", "true", "false"],
                q=["", "", "droit", "FLE"],
            ),
            later=lambda rng: later_page(rng, training_rows),
        ),
        Page(
            "formations:session_list",
            "Sessions",
            "coordination",
            session_rows,
            sorted=lambda rng: pick(
                rng, tri=["date", "formation", "etat", "-inscrits", "-presents", "places"]
            ),
            filtered=lambda rng: pick(
                rng,
                status=["", "prevue", "tenue", "reportee", "annulee"],
                year=["", *years],
                training=["", "", *trainings],
                modality=["", "presentiel", "en_ligne"],
            ),
            later=lambda rng: later_page(rng, session_rows),
        ),
        Page(
            "formations:programme",
            "Programme de l'année",
            "coordination",
            TrainingSession.objects.filter(starts_at__year=year + 1).count(),
            sorted=lambda rng: pick(rng, annee=years),
        ),
        Page(
            "formations:session_detail",
            "Session : inscriptions",
            "coordination",
            max(
                s.registered_count + s.waiting_count
                for s in fselectors.session_queryset(user=coordinator).filter(pk__in=busiest_sessions)
            ),
            url_args=lambda rng: [rng.choice(busiest_sessions)],
        ),
    ]
    return pages


def calls_for(page: Page, client, total: int, rng: random.Random) -> list[Callable]:
    """The mix in turn: first page, sorted, filtered (HTMX fragment), later page."""
    from django.urls import reverse

    if page.url_args is not None:
        urls = [reverse(page.name, args=page.url_args(rng)) for _ in range(total)]
        return [(lambda url=url: client.get(url)) for url in urls]
    url = reverse(page.name)
    variants = [(lambda _rng: {}, {})]
    if page.sorted:
        variants.append((page.sorted, {}))
    if page.filtered:
        variants.append((page.filtered, HTMX))
    if page.later:
        variants.append((page.later, {}))
    calls = []
    for index in range(total):
        make, headers = variants[index % len(variants)]
        params = make(rng)
        calls.append(lambda params=params, headers=headers: client.get(url, params, headers=headers))
    return calls


def users():
    from bench.load_network import COORDINATOR_USERNAME
    from bench.load_people import counsellor_username
    from cai.models import User

    return (
        User.objects.get(username=COORDINATOR_USERNAME),
        User.objects.get(username=counsellor_username("namur")),
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Temps serveur des listes du réseau et des formations.")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--only", default="", help="noms d'URL séparés par des virgules (operator_list,…)")
    args = parser.parse_args(argv)
    setup(migrate=False)
    from plateformes.models import Operator
    from tests.conftest import signed_in_client

    if Operator.objects.count() < 1000:
        print("Réseau absent : lancez d'abord bench/load_network.py.")
        return 1
    coordinator, counsellor = users()
    clients = {
        "coordination": signed_in_client(coordinator),
        "accompagnateur Namur": signed_in_client(counsellor),
    }
    rng = random.Random(SEED)
    total = args.requests + args.warmup
    only = {name.strip() for name in args.only.split(",") if name.strip()}
    pages = [p for p in network_pages(coordinator, counsellor) if not only or p.name.split(":")[1] in only]
    print(f"\nListes du réseau et des formations · charge {os.getloadavg()[0]:.2f}")
    print(
        f"Temps serveur par requête ({args.warmup} d'échauffement, puis {args.requests} mesurées ; "
        "1re page, triée, filtrée (HTMX), page suivante, à tour de rôle) :\n"
    )
    header = f"| {'Page':<32} | {'Utilisateur':<20} | SQL   | p50 ms | p95 ms | max ms | CPU p50 | Lignes |"
    print(header)
    print("|" + "|".join("-" * (len(cell)) for cell in header.split("|")[1:-1]) + "|")
    all_ok = True
    for page in pages:
        measure = people.Measure(
            page.label, page.who, calls_for(page, clients[page.who], total, rng), target=True
        )
        result = people.run_measure(measure, args.warmup)
        low, high = result["queries"]
        queries = f"{low}" if low == high else f"{low}–{high}"
        ok = result["p95"] < TARGET_MS
        all_ok &= ok
        print(
            f"| {page.label:<32} | {page.who:<20} | {queries:<5} | {result['p50']:6.1f} | "
            f"{result['p95']:6.1f} | {result['max']:6.0f} | {result['cpu_p50']:7.1f} | {page.rows:>6,} |"
            + ("" if ok else f"  AU-DELÀ DE {TARGET_MS} ms")
        )
    print(f"\nCharge après les mesures : {os.getloadavg()[0]:.2f}")
    print(
        f"Objectif p95 < {TARGET_MS} ms (listes du réseau et des formations) : {'atteint' if all_ok else 'MANQUÉ'}"
    )
    return 0 if all_ok else 2


if __name__ == "__main__":
    sys.exit(main())
