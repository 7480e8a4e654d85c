"""Server time of the people pages on the loaded volume (see load_people.py).

Each request goes through the whole Django stack with the test ``Client`` (middleware, session,
second factor, view, template), in this process, without network: the time measured is what a
gunicorn worker spends on it. Each measure runs a warm-up, then at least 200 timed requests, and
prints p50, p95 and max, plus the SQL queries per request (counted on a separate pass, so that
counting does not slow the timed requests). The Python CPU time of this process (p50) tells the
share spent in Python (ORM, template) from the share spent waiting for PostgreSQL, or for a CPU
when the machine is busy.

When a page does not exist yet (``NoReverseMatch``), the selectors it will call are timed instead,
and the output says so.

    .venv/bin/python bench/people.py [--requests 200] [--warmup 20]
"""

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import setup, summary  # noqa: E402

TARGET_MS = 150
SEED = 7


@dataclass
class Measure:
    """One benchmark line: a name, who asks, and the calls to time (each returns a response or rows)."""

    label: str
    who: str
    calls: list[Callable]
    target: bool = False  # the p95 < TARGET_MS bar applies
    via: str = "vue"  # "vue" (whole stack) or "sélecteur" (database reads only)
    notes: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------
# Queries a counsellor would type: existing names with one typo.


def typo(rng: random.Random, word: str) -> str:
    """One slip of the keyboard: two letters swapped, one dropped, doubled or replaced."""
    if len(word) < 4:
        return word
    i = rng.randrange(1, len(word) - 1)  # keep the first letter, as people do
    kind = rng.choice(("swap", "drop", "double", "replace"))
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    if kind == "drop":
        return word[:i] + word[i + 1 :]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiouy" if word[i] in "aeiouy" else "bcdfghklmnprstvz") + word[i + 1 :]


def misspelled_query(rng: random.Random, first: str, last: str) -> str:
    """Last name alone, "first last" or "last first", with a typo in one of the names."""
    shape = rng.choices(("last", "first last", "last first"), (4, 3, 3))[0]
    if shape == "last":
        return typo(rng, last)
    if rng.random() < 0.5:
        first = typo(rng, first)
    else:
        last = typo(rng, last)
    return f"{first} {last}" if shape == "first last" else f"{last} {first}"


def search_targets(user, count: int, rng: random.Random) -> list[tuple[int, str]]:
    """(pk, misspelled query) for ``count`` random people the user may see."""
    from accompagnement.models import Person

    visible = Person.objects.visible_to(user)
    ids = list(visible.values_list("pk", flat=True))
    chosen = rng.sample(ids, min(count, len(ids)))
    rows = visible.filter(pk__in=chosen).values_list("pk", "first_name", "last_name")
    names = {pk: (first, last) for pk, first, last in rows}
    return [(pk, misspelled_query(rng, *names[pk])) for pk in chosen]


def common_name_query(user, rng: random.Random) -> str:
    """The most frequent last name the user may see, misspelled: the least selective search."""
    from django.db.models import Count

    from accompagnement.models import Person

    name = (
        Person.objects.visible_to(user)
        .values_list("last_name")
        .annotate(n=Count("id"))
        .order_by("-n", "last_name")
        .first()[0]
    )
    return typo(rng, name)


def busiest_people(user, count: int) -> list[tuple[int, int]]:
    """(pk, number of appointments) of the ``count`` files with the most appointments the user may see."""
    from django.db.models import Count

    from accompagnement.models import Appointment, Person

    visible = Person.objects.visible_to(user).values("pk")
    return list(
        Appointment.objects.filter(person__in=visible)
        .values_list("person_id")
        .annotate(n=Count("id"))
        .order_by("-n", "person_id")[:count]
    )


# --------------------------------------------------------------------------------------------
# Building the measures


def page_exists(name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name, args=[1]) if name.endswith("_detail") else reverse(name)
    except NoReverseMatch:
        return False
    return True


def search_measure(user, who: str, client, count: int, rng: random.Random) -> list[Measure]:
    """The search: as the live search box sends it (HTMX POST, results fragment), as a plain form
    POST (whole page), and the selector alone."""
    from django.urls import reverse

    from accompagnement import selectors

    targets = search_targets(user, count, rng)
    hits = {"htmx": [], "page": [], "selector": []}
    calls = {"htmx": [], "page": [], "selector": []}
    if page_exists("accompagnement:person_search"):
        url = reverse("accompagnement:person_search")
        for kind, headers in (("htmx", {"HX-Request": "true"}), ("page", {})):
            for pk, query in targets:

                def call(pk=pk, query=query, kind=kind, headers=headers):
                    response = client.post(url, {"q": query}, headers=headers)
                    hits[kind].append(f'href="/personnes/{pk}/"' in response.content.decode())
                    return response

                calls[kind].append(call)
    for pk, query in targets:

        def run(pk=pk, query=query):
            rows = list(selectors.person_search(user=user, query=query))
            hits["selector"].append(any(p.pk == pk for p in rows))
            return rows

        calls["selector"].append(run)
    measures = [
        Measure("Recherche HTMX (POST, fragment)", who, calls["htmx"], target=True),
        Measure("Recherche (POST, page entière)", who, calls["page"], target=True),
        Measure("Recherche : selectors.person_search", who, calls["selector"], target=True, via="sélecteur"),
    ]
    for measure, kind in zip(measures, ("htmx", "page", "selector"), strict=True):
        measure.notes.append(lambda kind=kind: hit_rate(hits[kind]))
    return measures


def hit_rate(values: list[bool]) -> str:
    if not values:
        return ""
    return f"nom mal orthographié : la personne cherchée est dans les résultats {100 * sum(values) / len(values):.0f} % du temps"


def file_measure(user, who: str, client, count: int) -> tuple[Measure, Measure]:
    """The person file page on the files with the most appointments, and its selectors alone."""
    from django.urls import reverse

    from accompagnement import selectors

    people = busiest_people(user, count)
    sizes = sorted(n for _, n in people)
    view_calls = []
    if page_exists("accompagnement:person_detail"):
        view_calls = [
            (lambda pk=pk: client.get(reverse("accompagnement:person_detail", args=[pk]))) for pk, _ in people
        ]

    def run(pk):
        person = selectors.get_person_for_user(user=user, pk=pk)
        return list(selectors.person_timeline(user=user, person=person))

    selector_calls = [(lambda pk=pk: run(pk)) for pk, _ in people]
    note = f"dossiers de {sizes[0]} à {sizes[-1]} rendez-vous" if sizes else ""
    view = Measure("Fiche personne (GET)", who, view_calls, target=True, notes=[note])
    selector = Measure(
        "Fiche : get_person_for_user + person_timeline",
        who,
        selector_calls,
        target=True,
        via="sélecteur",
        notes=[note],
    )
    return view, selector


def list_filters(user, rng: random.Random, count: int) -> list[dict]:
    """Filtered list pages as people use them: an office, an origin group, active files, a sort."""
    from accompagnement.models import Office

    offices = (
        list(Office.objects.values_list("pk", flat=True))
        if user.reads_all_people
        else list(user.offices.values_list("pk", flat=True))
    )
    groups = ["hors_ue", "ue", "belges", "apatrides", ""]
    orderings = ["", "nom", "-naissance", "ouverture", "-ouverture", "bureau"]
    params = []
    for _ in range(count):
        query = {
            "office": rng.choice(offices),
            "origin_group": rng.choice(groups),
            "is_active": rng.choice(["true", ""]),
        }
        ordering = rng.choice(orderings)
        if ordering:
            query["ordering"] = ordering
        params.append({k: v for k, v in query.items() if v != ""})
    return params


def list_measures(user, who: str, client, count: int, rng: random.Random) -> list[Measure]:
    from django.core.paginator import Paginator
    from django.urls import reverse

    from accompagnement import selectors
    from accompagnement.filters import PersonFilter

    filters = list_filters(user, rng, count)
    if page_exists("accompagnement:person_list"):
        url = reverse("accompagnement:person_list")
        first = [(lambda: client.get(url)) for _ in range(count)]
        filtered = [(lambda p=p: client.get(url, p)) for p in filters]
        via = "vue"
    else:  # what a ListView paginated by 25 would read: the count and the first page

        def page(params):
            qs = PersonFilter(params or None, queryset=selectors.person_list(user=user)).qs
            return list(Paginator(qs, 25).page(1).object_list)

        first = [(lambda: page({})) for _ in range(count)]
        filtered = [(lambda p=p: page(p)) for p in filters]
        via = "sélecteur"
    return [
        Measure("Liste des personnes, 1re page (GET)", who, first, via=via),
        Measure(
            "Liste des personnes filtrée (GET)",
            who,
            filtered,
            via=via,
            notes=["bureau, groupe d'origine, actif, tri"],
        ),
    ]


# --------------------------------------------------------------------------------------------
# Running


def run_measure(measure: Measure, warmup: int) -> dict | None:
    """Warm up, count the queries of a few calls, then time every call."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if not measure.calls:
        return None
    for call in measure.calls[:warmup]:
        check(call())
    counts = []
    for call in measure.calls[warmup : warmup + 10]:
        with CaptureQueriesContext(connection) as queries:
            check(call())
        counts.append(len(queries))
    durations, cpu = [], []
    for call in measure.calls[warmup:]:
        started, started_cpu = time.perf_counter(), time.process_time()
        response = call()
        durations.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        check(response)
    result = summary(durations)
    result["cpu_p50"] = summary(cpu)["p50"]
    result["queries"] = (min(counts), max(counts)) if counts else None
    return result


def check(response) -> None:
    status = getattr(response, "status_code", 200)
    if status != 200:
        raise SystemExit(f"Réponse inattendue : {status} {getattr(response, 'url', '')}")


def print_result(measure: Measure, result: dict) -> bool:
    """One line per measure; returns False when a targeted p95 misses the bar."""
    low, high = result["queries"] or (0, 0)
    queries = f"{low}" if low == high else f"{low}–{high}"
    verdict = ""
    ok = True
    if measure.target:
        ok = result["p95"] < TARGET_MS
        verdict = "  OK" if ok else f"  AU-DELÀ DE {TARGET_MS} ms"
    print(
        f"{measure.label:<48} {measure.who:<24} {measure.via:<9} n={result['n']:<4} "
        f"p50={result['p50']:6.1f} ms  p95={result['p95']:6.1f} ms  max={result['max']:6.1f} ms  "
        f"(CPU Python p50={result['cpu_p50']:5.1f} ms)  requêtes SQL={queries}{verdict}"
    )
    for note in measure.notes:
        text = note() if callable(note) else note
        if text:
            print(f"{'':<50}{text}")
    return ok


def explain_search(user, who: str, queries: list[str]) -> bool:
    """EXPLAIN ANALYZE of the name search (the plan in full for the first, least selective query);
    True when the trigram index is used for every query."""
    from accompagnement import selectors

    always = True
    for i, query in enumerate(queries):
        plan = selectors.person_search(user=user, query=query).explain(analyze=True, buffers=True)
        used = "person_search_trgm_idx" in plan
        always &= used
        execution = next(
            (line.strip() for line in plan.splitlines() if line.startswith("Execution Time")), ""
        )
        print(f"  {who} · « {query} » : index trigramme {'utilisé' if used else 'NON utilisé'} · {execution}")
        if i == 0:
            print("    " + plan.replace("\n", "\n    "))
    return always


def users():
    from bench.load_people import DIRECTOR_USERNAME, counsellor_username
    from cai.models import User

    return {
        "accompagnateur Namur": User.objects.get(username=counsellor_username("namur")),
        "direction": User.objects.get(username=DIRECTOR_USERNAME),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(
        description="Temps serveur des pages « personnes » sur le volume chargé."
    )
    parser.add_argument(
        "--requests", type=int, default=200, help="requêtes mesurées par ligne (après l'échauffement)"
    )
    parser.add_argument("--warmup", type=int, default=20)
    args = parser.parse_args(argv)
    setup(migrate=False)
    from django.db import connection

    from accompagnement.models import Appointment, Person
    from tests.conftest import signed_in_client

    people, appointments = Person.objects.count(), Appointment.objects.count()
    if people == 0:
        print("Base vide : lancez d'abord bench/load_people.py (ou make bench).")
        return 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    print(
        f"\n{people:,} personnes, {appointments:,} rendez-vous · {version} · {os.cpu_count()} cœurs · "
        f"charge {os.getloadavg()[0]:.2f}"
    )
    rng = random.Random(SEED)
    total = args.requests + args.warmup
    measures = []
    for who, user in users().items():
        client = signed_in_client(user)
        measures.extend(search_measure(user, who, client, total, rng))
        measures.extend(file_measure(user, who, client, total))
        measures.extend(list_measures(user, who, client, total, rng))
    missing = [m.label for m in measures if not m.calls and m.via == "vue"]
    for label in sorted(set(missing)):
        print(f"Page absente (NoReverseMatch), sélecteurs mesurés à la place : {label}")
    print(
        f"\nTemps serveur par requête ({args.warmup} requêtes d'échauffement, puis {args.requests} mesurées) :"
    )
    all_ok = True
    for measure in measures:
        result = run_measure(measure, args.warmup)
        if result is not None:
            all_ok &= print_result(measure, result)
    print(f"Charge de la machine après les mesures : {os.getloadavg()[0]:.2f}")

    print("\nEXPLAIN ANALYZE de la recherche par nom :")
    index_used = True
    for who, user in users().items():
        queries = [common_name_query(user, rng)] + [q for _, q in search_targets(user, 2, rng)]
        index_used &= explain_search(user, who, queries)
    print(f"\nIndex person_search_trgm_idx utilisé : {'oui' if index_used else 'NON'}")
    print(f"Objectif p95 < {TARGET_MS} ms (recherche et fiche) : {'atteint' if all_ok else 'MANQUÉ'}")
    return 0 if all_ok else 2


if __name__ == "__main__":
    sys.exit(main())
