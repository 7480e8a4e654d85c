"""Reference data of the path: regimes and the dated list of dispensation reasons (pre-2024 list).
The 2024 regime's start date and the adapted list are to be confirmed: both are editable in the admin."""

import datetime as dt

REGIMES = [
    {
        "code": "2018",
        "label": "Régime 2018 (attestation dans les 18 mois)",
        "starts_on": dt.date(2018, 1, 1),
        "attestation_months": 18,
    },
    {
        "code": "2024",
        "label": "Régime 2024 (attestation dans les 3 ans)",
        "starts_on": dt.date(2025, 1, 1),
        "attestation_months": 36,
    },
]

DISPENSATION_REASONS = [
    ("attestation_autre_region", "Attestation ou équivalent d'une autre Région ou Communauté"),
    ("certificat_medical", "Certificat médical"),
    ("diplome_belge", "Certificat ou diplôme d'études belge"),
    ("travail_mi_temps", "Travail à mi-temps au moins depuis plus de 3 mois"),
    ("etudiant_chercheur", "Étudiant·e régulier·ère, chercheur·se ou enseignant·e du supérieur"),
]


def load_path_reference_data(apps=None):
    if apps is None:
        from django.apps import apps
    Regime = apps.get_model("parcours", "Regime")
    DispensationReason = apps.get_model("parcours", "DispensationReason")
    for regime in REGIMES:
        Regime.objects.get_or_create(code=regime["code"], defaults=regime)
    for position, (code, label) in enumerate(DISPENSATION_REASONS, start=1):
        DispensationReason.objects.get_or_create(
            code=code, defaults={"label": label, "valid_from": dt.date(2018, 1, 1), "position": position}
        )
