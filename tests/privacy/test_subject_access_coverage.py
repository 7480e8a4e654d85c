"""The subject-access package covers every model linked to a person, found by introspection: a new
model reaching ``accompagnement.Person`` (directly, transitively or through an m2m table) fails here,
by name, until it is added to ``REGISTRY`` or to ``EXCLUSIONS`` with a reason."""

from django.apps import apps

from cai.privacy.subject_access import (
    ACCESS_LOG,
    EXCLUSIONS,
    REGISTRY,
    models_reaching_person,
    uncovered_models,
)


def test_every_model_linked_to_a_person_is_exported_or_excluded_with_a_reason():
    missing = uncovered_models()
    assert not missing, (
        "Models holding data about a person, missing from the subject-access package "
        f"(add them to REGISTRY or to EXCLUSIONS with a reason, in cai/privacy/subject_access.py): {missing}"
    )


def test_the_checker_names_a_model_left_out_of_the_registry():
    without_duos = tuple(entry for entry in REGISTRY if entry.model_label != "parcours.Duo")
    assert uncovered_models(registry=without_duos) == ["parcours.Duo"]


def test_the_checker_names_a_model_reached_only_transitively():
    without_components = tuple(entry for entry in REGISTRY if entry.model_label != "parcours.PathComponent")
    assert uncovered_models(registry=without_components) == ["parcours.PathComponent"]


def test_an_exclusion_without_a_reason_does_not_count():
    exclusions = {**EXCLUSIONS, "parcours.CollectiveSession": " "}
    assert uncovered_models(exclusions=exclusions) == ["parcours.CollectiveSession"]


def test_the_walk_follows_foreign_keys_transitively_m2m_tables_and_generic_references():
    reaching = models_reaching_person()
    assert reaching["parcours.PathComponent"] == "path__person"
    assert reaching["parcours.DuoMeeting"] == "duo__mentee"
    assert "accompagnement.Person_languages" in reaching  # auto-created m2m table
    assert "parcours.CollectiveSession" in reaching  # m2m through SessionAttendance
    assert ACCESS_LOG in reaching  # auditlog's generic reference
    assert "accompagnement.Office" not in reaching  # a person points at it, not the reverse


def test_registry_lookups_reach_a_person_and_keys_are_unique():
    for entry in REGISTRY:
        entry.model._base_manager.filter(**{entry.person_lookup: 0})  # a bad path raises FieldError
    keys = [entry.key for entry in REGISTRY]
    assert len(keys) == len(set(keys))


def test_every_exclusion_names_an_installed_model_and_is_not_also_exported():
    installed = {model._meta.label for model in apps.get_models(include_auto_created=True)}
    exported = {entry.model_label for entry in REGISTRY}
    for label in EXCLUSIONS:
        assert label in installed, f"stale exclusion: {label}"
        assert label not in exported, f"{label} is both exported and excluded"
