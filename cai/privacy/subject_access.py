"""What a subject-access package (GDPR art. 15) holds: every model with data about a person, and how
to reach the person from it.

``REGISTRY`` is declarative: one ``DataClass`` per model, with the lookup path from the model to
``accompagnement.Person`` (``"path__person"`` for a path component) and the fields left out. Every
other concrete field is exported, labelled with its ``verbose_name``. ``EXCLUSIONS`` names the models
that reach a person but are deliberately not exported as their own section, each with its reason.
``ACCESS_LOG`` is django-auditlog's ``LogEntry``: it reaches every model through its generic
reference (content type and object id) and is exported as the log of who read or changed the file.

``uncovered_models()`` walks the app registry and returns every model that reaches a person and is in
neither list: the coverage test fails on it, so that a new model linked to a person cannot be left
out of the package silently.
"""

from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

PERSON = "accompagnement.Person"
ACCESS_LOG = "auditlog.LogEntry"

# Never exported: technical fields that say nothing about the person.
INTERNAL_FIELDS = frozenset({"search_text"})


@dataclass(frozen=True)
class DataClass:
    """One class of data about a person: a model and the lookup path from it to the person.

    ``related`` lists the extra ``select_related`` paths the labels of its foreign keys need (their
    ``__str__`` reads further relations), so that a section is read in one query whatever its size.
    """

    key: str  # stable key of the section in the JSON (schema): never rename
    model_label: str
    person_lookup: str  # "pk" for the person itself
    title: str
    exclude: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()

    @property
    def model(self) -> type[models.Model]:
        return apps.get_model(self.model_label)

    @property
    def link_field(self) -> str | None:
        """The first field of the lookup path: the link to the person (or to their path), not exported."""
        return None if self.person_lookup == "pk" else self.person_lookup.split("__")[0]


REGISTRY: tuple[DataClass, ...] = (
    DataClass("person", PERSON, "pk", _("Identité et dossier")),
    DataClass(
        "appointments",
        "accompagnement.Appointment",
        "person",
        _("Rendez-vous"),
        ordering=("starts_at", "id"),
    ),
    # Who opened the file from another office, why and for how long (the access log shows each use).
    DataClass(
        "access_overrides",
        "accompagnement.AccessOverride",
        "person",
        _("Accès exceptionnels au dossier"),
        related=("user",),
        ordering=("granted_at", "id"),
    ),
    DataClass(
        "merges", "accompagnement.PersonMerge", "kept", _("Fusions de dossiers"), ordering=("merged_at",)
    ),
    DataClass("path", "parcours.Path", "person", _("Parcours d'intégration")),
    DataClass("path_components", "parcours.PathComponent", "path__person", _("Composantes du parcours")),
    DataClass("hours_records", "parcours.HoursRecord", "path__person", _("Heures de formation")),
    DataClass(
        "evaluation_interviews",
        "parcours.EvaluationInterview",
        "path__person",
        _("Entretiens d'évaluation"),
        ordering=("scheduled_at", "id"),
    ),
    DataClass("language_tests", "parcours.LanguageTest", "person", _("Tests de français")),
    # The collective session itself is shared by every participant: its kind and date come inline
    # through the attendance's "séance" label.
    DataClass(
        "session_attendances",
        "parcours.SessionAttendance",
        "person",
        _("Participation aux séances collectives"),
        ordering=("session__starts_at", "id"),
    ),
    # A person is a duo's mentee; the mentor is a volunteer recorded by name, never a person file.
    DataClass("duos", "parcours.Duo", "mentee", _("Duos (mentorat, tables de conversation)")),
    DataClass(
        "duo_meetings",
        "parcours.DuoMeeting",
        "duo__mentee",
        _("Rencontres des duos"),
        related=("duo__mentee",),
    ),
    DataClass(
        "path_documents",
        "parcours.PathDocument",
        "person",
        _("Documents du parcours"),
        related=("evaluation__path__person",),
        ordering=("created_at", "id"),
    ),
    # Only the rows the centre matched to this person's file.
    DataClass(
        "access_requests",
        "privacy.SubjectAccessRequest",
        "person",
        _("Demandes d'accès aux données"),
        ordering=("received_on", "id"),
    ),
    DataClass(
        "commune_list_rows",
        "parcours.NewcomerListRow",
        "person",
        _("Lignes des listes communales rattachées au dossier"),
        related=("newcomer_list__commune",),
    ),
)

EXCLUSIONS: dict[str, str] = {
    "accompagnement.Person_languages": "Table de liaison : exportée dans le champ « langues parlées » de la personne.",
    "accompagnement.Appointment_request_types": "Table de liaison : exportée dans le champ « types de demande » "
    "de chaque rendez-vous.",
    "admin.LogEntry": "Journal du site d'administration de Django : toute modification qui y est faite est "
    "aussi enregistrée par le journal d'audit (django-auditlog), exporté comme journal des accès.",
    "parcours.CollectiveSession": "Séance partagée par tous ses participants : la participation de la personne "
    "(section « séances collectives ») en donne le type et la date ; la liste des autres participants "
    "n'appartient pas à la personne.",
    "rapports.FollowedYear": "Ligne statistique dérivée (personne suivie telle année), recalculée par la base "
    "à partir des rendez-vous, du parcours et du dossier, tous exportés : elle n'apprend rien de plus.",
    "rapports.FollowedYearRequestType": "Ligne statistique dérivée (rendez-vous par type de demande et par "
    "année), recalculée à partir des rendez-vous exportés : elle n'apprend rien de plus.",
}


def registered_labels() -> set[str]:
    return {entry.model_label for entry in REGISTRY}


def entry_for(label: str) -> DataClass:
    return next(entry for entry in REGISTRY if entry.model_label == label)


# --- Coverage: which models reach a person ----------------------------------------------------------


def _links(model) -> list[models.Field]:
    """The forward relations of a model (foreign keys, one-to-ones, many-to-manys), auto-created
    through tables included."""
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete and (field.many_to_one or field.one_to_one or field.many_to_many)
    ]


def is_generic_reference(model) -> bool:
    """A model that points at any row of any model (a content type and an object id): it may hold
    data about a person whatever its other fields."""
    names = {field.name for field in model._meta.get_fields()}
    has_content_type = any(field.related_model is ContentType for field in _links(model) if field.many_to_one)
    return has_content_type and bool(names & {"object_id", "object_pk"})


def models_reaching_person() -> dict[str, str]:
    """{model label: how it reaches the person} for every installed model (through tables included)
    that reaches ``accompagnement.Person`` through relations, directly or through another model that
    does (PathComponent → Path → Person), or through a generic reference (the audit log)."""
    person = apps.get_model(PERSON)
    all_models = apps.get_models(include_auto_created=True)
    reach: dict[type, str] = {person: ""}
    changed = True
    while changed:
        changed = False
        for model in all_models:
            if model in reach:
                continue
            for field in _links(model):
                if field.related_model in reach:
                    via = reach[field.related_model]
                    reach[model] = f"{field.name}__{via}" if via else field.name
                    changed = True
                    break
    found = {model._meta.label: path for model, path in reach.items() if model is not person}
    for model in all_models:
        if model._meta.label not in found and is_generic_reference(model):
            found[model._meta.label] = "(référence générique)"
    found[PERSON] = "pk"
    return found


def uncovered_models(
    *, registry: tuple[DataClass, ...] = REGISTRY, exclusions: dict[str, str] | None = None
) -> list[str]:
    """Labels of the models reaching a person that are neither exported, nor the access log, nor
    excluded with a reason (an empty reason does not count)."""
    exclusions = EXCLUSIONS if exclusions is None else exclusions
    covered = {entry.model_label for entry in registry} | {ACCESS_LOG}
    covered |= {label for label, reason in exclusions.items() if str(reason).strip()}
    return sorted(label for label in models_reaching_person() if label not in covered)
