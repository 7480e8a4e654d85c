"""Reference data shipped with the application: communes, offices, permanences, request types,
ESF action types and languages. Loading is idempotent (update-or-create by natural key) and does
not overwrite what an administrator has reassigned (a commune's office, a label's order).

Used by a data migration (with the historical ``apps`` registry) and by the
``load_reference_data`` command.
"""

import csv
import datetime as dt
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"

REQUEST_TYPES = [
    ("parcours", "Parcours d'intégration"),
    ("nationalite", "Nationalité"),
    ("sejour", "Séjour / droit des étrangers"),
    ("regroupement-familial", "Regroupement familial"),
    ("logement", "Logement"),
    ("sante", "Santé"),
    ("emploi-isp", "Emploi / ISP"),
    ("equivalence-diplome", "Équivalence de diplôme"),
    ("formation", "Formation"),
    ("demarches-administratives", "Démarches administratives"),
    ("autre", "Autre"),
]

ESF_ACTION_TYPES = [
    ("recherche-emploi", "Recherche d'emploi"),
    ("recherche-formation", "Recherche de formation"),
    ("equivalence-diplome", "Équivalence de diplôme"),
    ("validation-competences", "Validation des compétences"),
    ("orientation-professionnelle", "Orientation professionnelle"),
    ("demarches-isp", "Démarches administratives ISP"),
    ("relais-operateurs-isp", "Relais vers opérateurs ISP"),
]


def _rows(name):
    with open(DATA / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load_reference_data(apps=None) -> dict:
    """Create or complete the reference data. Returns counts of what exists afterwards."""
    if apps is None:
        from django.apps import apps
    Office = apps.get_model("accompagnement", "Office")
    Commune = apps.get_model("accompagnement", "Commune")
    PostalCode = apps.get_model("accompagnement", "PostalCode")
    PermanenceRule = apps.get_model("accompagnement", "PermanenceRule")
    RequestType = apps.get_model("accompagnement", "RequestType")
    EsfActionType = apps.get_model("accompagnement", "EsfActionType")
    Language = apps.get_model("accompagnement", "Language")

    offices = {}
    for row in _rows("offices.csv"):
        office, _ = Office.objects.get_or_create(
            slug=row["slug"],
            defaults={
                "name": row["name"],
                "is_head_office": row["is_head_office"] == "1",
                "address": row["address"],
            },
        )
        offices[row["name"]] = office

    for row in _rows("communes-namur.csv"):
        commune, created = Commune.objects.get_or_create(
            nis_code=row["nis_code"],
            defaults={
                "name": row["name"],
                "main_postal_code": row["main_postal_code"],
                "arrondissement": row["arrondissement"],
                "office": offices.get(row["office"]),
            },
        )
        PostalCode.objects.get_or_create(code=row["main_postal_code"], locality=row["name"], commune=commune)

    if not PermanenceRule.objects.exists():
        by_slug = {o.slug: o for o in offices.values()}
        for row in _rows("permanences.csv"):
            PermanenceRule.objects.create(
                office=by_slug[row["office"]],
                kind=row["kind"],
                weekday=int(row["weekday"]),
                nth=int(row["nth"]) if row["nth"] else None,
                start_time=dt.time.fromisoformat(row["start_time"]),
                end_time=dt.time.fromisoformat(row["end_time"]),
            )

    for model, items in ((RequestType, REQUEST_TYPES), (EsfActionType, ESF_ACTION_TYPES)):
        for position, (code, label) in enumerate(items, start=1):
            model.objects.get_or_create(code=code, defaults={"label": label, "position": position})

    for row in _rows("languages.csv"):
        Language.objects.get_or_create(code=row["code"], defaults={"name": row["name"]})

    return {
        "offices": Office.objects.count(),
        "communes": Commune.objects.count(),
        "permanence_rules": PermanenceRule.objects.count(),
        "request_types": RequestType.objects.count(),
        "esf_action_types": EsfActionType.objects.count(),
        "languages": Language.objects.count(),
    }
