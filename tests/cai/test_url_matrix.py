"""The permission matrix over every URL the resolver knows, so that a page or endpoint added without
an entry here fails the suite. Each entry: how to build the URL, and the expected status of a GET for
each persona. Scope: the objects belong to office A (Namur); counsellor_b (Dinant) is "other scope",
and must get 404 wherever counsellor_a gets a 2xx on an object.

Per-page behaviours (writes, bad input, HTMX fragments) are tested beside each app; this file is the
net that proves nothing is left open."""

import re
from collections import Counter

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cai.choices import Role
from tests.conftest import signed_in_client
from tests.factories import AppointmentFactory, PersonFactory, UserFactory, office

PERSONAS = [
    "counsellor_a",
    "counsellor_b",
    "coordinator",
    "director",
    "administrator",
    "commune_agent",
    "commune_agent_other",
    "disabled",
    "anonymous",
]

LOGIN = 302  # redirected to the sign-in page
PAGE_STAFF_ONLY = {
    "counsellor_a": 200,
    "counsellor_b": 200,
    "coordinator": 200,
    "director": 200,
    "administrator": 200,
}
PEOPLE_READERS = {"counsellor_a": 200, "counsellor_b": 200, "director": 200, "administrator": 200}
OWN_OBJECT_READERS = {"counsellor_a": 200, "counsellor_b": 404, "director": 200, "administrator": 200}
OWN_OBJECT_EDITORS = {"counsellor_a": 200, "counsellor_b": 404, "director": 403, "administrator": 200}
# L1: a signed-in commune agent reaches only the portal and a few pages (CommuneAgentAllowListMiddleware).
CLOSED_TO_AGENTS = {"commune_agent": 403, "commune_agent_other": 403}
API_STAFF = {
    "counsellor_a": 200,
    "counsellor_b": 200,
    "coordinator": 200,
    "director": 200,
    "administrator": 200,
}


def expect(allowed: dict, *, default=403, anonymous=LOGIN) -> dict:
    """Expected status per persona: ``allowed`` overrides, other signed-in personas get ``default``."""
    result = {p: allowed.get(p, default) for p in PERSONAS}
    result["anonymous"] = anonymous
    result["disabled"] = anonymous  # a disabled account is signed out at its next request
    return result


def build(world):
    person, appointment = world["person"], world["appointment"]
    counsellor_token = world["counsellor_a"].calendar_token
    return {
        "home": (reverse("home"), expect(dict.fromkeys(PERSONAS, 302))),
        "login": (reverse("login"), expect({}, default=302, anonymous=200)),
        "twofactor_verify": (reverse("twofactor_verify"), expect({}, default=302, anonymous=302)),
        # A verified user may replace their authenticator; a password-only session is handled in test_signin.
        "twofactor_enrol": (reverse("twofactor_enrol"), expect({}, default=200, anonymous=302)),
        "logout": (reverse("logout"), expect({}, default=405, anonymous=302)),  # sign-out is a POST
        "profile": (reverse("profile"), expect({}, default=200)),
        "twofactor_manage": (reverse("twofactor_manage"), expect({}, default=200)),
        "audit_log": (reverse("audit_log"), expect({"director": 200, "administrator": 200})),
        # Subject access (GDPR art. 15): the controller (director, administrators) answers; a GET downloads.
        "privacy:subject_access_package": (
            reverse("privacy:subject_access_package", args=[person.pk]),
            expect({"director": 200, "administrator": 200}),
        ),
        # Rectification history of the file: whoever may see the file (the person gate: 404 out of scope).
        "privacy:person_history": (
            reverse("privacy:person_history", args=[person.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "healthz": (reverse("healthz"), expect({}, default=200, anonymous=200)),
        "accompagnement:office_list": (reverse("accompagnement:office_list"), expect(PAGE_STAFF_ONLY)),
        "accompagnement:office_detail": (
            reverse("accompagnement:office_detail", args=["namur"]),
            expect(PAGE_STAFF_ONLY),
        ),
        "accompagnement:person_list": (reverse("accompagnement:person_list"), expect(PEOPLE_READERS)),
        "accompagnement:person_search": (
            reverse("accompagnement:person_search"),
            expect(dict.fromkeys(PEOPLE_READERS, 302)),
        ),
        "accompagnement:person_create": (
            reverse("accompagnement:person_create"),
            expect({"counsellor_a": 200, "counsellor_b": 200, "administrator": 200}),
        ),
        "accompagnement:person_detail": (
            reverse("accompagnement:person_detail", args=[person.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "accompagnement:person_update": (
            reverse("accompagnement:person_update", args=[person.pk]),
            expect(OWN_OBJECT_EDITORS),
        ),
        # Break the glass: a POST of counsellors only (405 to them on GET, 403 to the others).
        "accompagnement:access_override_create": (
            reverse("accompagnement:access_override_create"),
            expect({"counsellor_a": 405, "counsellor_b": 405}),
        ),
        "accompagnement:appointment_list": (
            reverse("accompagnement:appointment_list"),
            expect(PEOPLE_READERS),
        ),
        "accompagnement:appointment_create": (
            reverse("accompagnement:appointment_create") + f"?personne={person.pk}",
            expect({"counsellor_a": 200, "counsellor_b": 404, "administrator": 200}),
        ),
        "accompagnement:appointment_detail": (
            reverse("accompagnement:appointment_detail", args=[appointment.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "accompagnement:appointment_update": (
            reverse("accompagnement:appointment_update", args=[appointment.pk]),
            expect(OWN_OBJECT_EDITORS),
        ),
        "accompagnement:appointment_delete": (
            reverse("accompagnement:appointment_delete", args=[appointment.pk]),
            expect(OWN_OBJECT_EDITORS),
        ),
        "accompagnement:my_day": (
            reverse("accompagnement:my_day"),
            expect({"counsellor_a": 200, "counsellor_b": 200}),
        ),
        "accompagnement:calendar_token_rotate": (
            reverse("accompagnement:calendar_token_rotate"),
            expect({"counsellor_a": 405, "counsellor_b": 405}),
        ),
        # The feed's secret token is its credential: valid for anyone holding it, 404 otherwise.
        "accompagnement:calendar_feed": (
            reverse("accompagnement:calendar_feed", args=[counsellor_token]),
            expect(CLOSED_TO_AGENTS, default=200, anonymous=200),
        ),
        "api-token": (reverse("api-token"), expect(CLOSED_TO_AGENTS, default=405, anonymous=405)),
        "api-schema": (reverse("api-schema"), expect(CLOSED_TO_AGENTS, default=200, anonymous=401)),
        "api-docs": (reverse("api-docs"), expect(CLOSED_TO_AGENTS, default=200, anonymous=302)),
        "api-root": (
            reverse("api-root"),
            expect({**API_STAFF, **CLOSED_TO_AGENTS}, default=200, anonymous=401),
        ),
        "api-person-list": (reverse("api-person-list"), expect(PEOPLE_READERS, anonymous=401)),
        "api-person-search": (
            reverse("api-person-search"),
            expect(dict.fromkeys(PEOPLE_READERS, 405), anonymous=401),
        ),
        "api-person-detail": (
            reverse("api-person-detail", args=[person.pk]),
            expect(OWN_OBJECT_READERS, anonymous=401),
        ),
        "api-appointment-list": (reverse("api-appointment-list"), expect(PEOPLE_READERS, anonymous=401)),
        "api-appointment-detail": (
            reverse("api-appointment-detail", args=[appointment.pk]),
            expect(OWN_OBJECT_READERS, anonymous=401),
        ),
        "api-office-list": (reverse("api-office-list"), expect(API_STAFF, anonymous=401)),
        "api-office-detail": (
            reverse("api-office-detail", args=[world["office_a"].pk]),
            expect(API_STAFF, anonymous=401),
        ),
        "api-commune-list": (
            reverse("api-commune-list"),
            expect(CLOSED_TO_AGENTS, default=200, anonymous=401),  # token clients: see test_api
        ),
        "api-commune-detail": (
            reverse("api-commune-detail", args=[world["namur_commune"].pk]),
            expect(CLOSED_TO_AGENTS, default=200, anonymous=401),
        ),
        "api-request-type-list": (reverse("api-request-type-list"), expect(API_STAFF, anonymous=401)),
        "api-request-type-detail": (
            reverse("api-request-type-detail", args=["parcours"]),
            expect(API_STAFF, anonymous=401),
        ),
        # P3: path documents (generation is a POST: a GET answers 405 to editors, 403 to the others).
        "parcours:document_list": (
            reverse("parcours:document_list", args=[person.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "parcours:document_create": (
            reverse("parcours:document_create", args=[person.pk, "outil_suivi"]),
            expect({"counsellor_a": 405, "counsellor_b": 405, "administrator": 405}),
        ),
        "parcours:document_download": (
            reverse("parcours:document_download", args=[world["document"].pk]),
            expect(OWN_OBJECT_READERS),
        ),
        # P1: the person's path (writes answer 403 to the director; POST-only routes 405 to editors)
        # and the "Échéances" page.
        **path_routes(person, world["evaluation"]),
        # P2: collective sessions and duos (POST-only routes: 405 to editors, 403 to the others).
        **session_duo_routes(person, world["session"], world["duo"]),
        # L3: the newcomer-list API (a list of Namur: its agent reads it, Dinant's agent gets 404).
        **newcomer_list_api_routes(world["newcomer_list"]),
        # L2: reconciliation of the communes' lists by the centre (the list of Namur above); POST-only
        # routes answer 405 to those who reconcile, 403 to the others.
        **reconcile_routes(world["newcomer_list"]),
        # L1: the commune portal, commune agents only (the Namur list above: 404 to Dinant's agent).
        **portal_routes(world["newcomer_list"]),
        # N1: the partner network (plateformes): shared by the whole centre, no office scope.
        **network_routes(world["network"]),
        # R2: the activity report (a finished version with its files; narrative of last year).
        **report_routes(world["report_job"]),
        # N2: trainings for professionals (formations): coordination, direction, administration only.
        **trainings_routes(world["trainings"]),
        # Access accountability (privacy): the director and administrators only.
        **access_routes(person, world["access_review"]),
        # Data protection (privacy): the director and administrators only.
        **privacy_routes(world["privacy"]),
    }


def named_urls(patterns=None, namespace=None):
    """Every named URL of the project, namespaced, except the Django admin (its own permission system)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            if pattern.app_name == "admin":
                continue
            ns = pattern.namespace and (
                f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            )
            yield from named_urls(pattern.url_patterns, ns or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name


@pytest.fixture
def world(
    db, counsellor_a, counsellor_b, coordinator, director, administrator, commune_agent, commune_agent_other
):
    namur = office("namur")
    person = PersonFactory(office=namur)
    return {
        "counsellor_a": counsellor_a,
        "office_a": namur,
        "namur_commune": commune_agent.agent_communes.get(),
        "person": person,
        "appointment": AppointmentFactory(person=person, counsellor=counsellor_a),
        "document": _path_document(person, counsellor_a),  # P3: a stored path document of the person
        "evaluation": _path_with_evaluation(person, counsellor_a),  # P1: an open path, one interview
        **_session_and_duo(person, counsellor_a),  # P2: a session of office A with the person, a duo
        "newcomer_list": _newcomer_list(commune_agent),  # L3: a list of Namur sent by its agent
        "network": _network_world(coordinator),  # N1: one record of each kind of the network
        "report_job": _report_job(director),  # R2: a finished version of the report with its files
        "trainings": _trainings_world(coordinator, director),  # N2: a training, a session, a registration
        "access_review": _access_review(),  # a computed weekly access review
        "privacy": _privacy_world(director),  # a seeded register entry and rule, a recorded breach
        "clients": {
            "counsellor_a": signed_in_client(counsellor_a),
            "counsellor_b": signed_in_client(counsellor_b),
            "coordinator": signed_in_client(coordinator),
            "director": signed_in_client(director),
            "administrator": signed_in_client(administrator),
            "commune_agent": signed_in_client(commune_agent),
            "commune_agent_other": signed_in_client(commune_agent_other),
            "disabled": _disabled_client(),
            "anonymous": Client(),
        },
    }


def _path_document(person, author):
    """P3: a stored document (a small stand-in file, no rendering) for the download URL."""
    from django.core.files.base import ContentFile

    from parcours.models import PathDocument

    return PathDocument.objects.create(
        person=person,
        kind="outil_suivi",
        file=ContentFile(b"%PDF-1.7 matrice", name="matrice.pdf"),
        sha256="0" * 64,
        created_by=author,
    )


def path_routes(person, evaluation) -> dict:
    """P1: the path pages of the person (office A) and the "Échéances" page."""
    post_only = expect({"counsellor_a": 405, "counsellor_b": 404, "administrator": 405})
    routes = {
        "parcours:path_detail": (
            reverse("parcours:path_detail", args=[person.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "parcours:path_open": (reverse("parcours:path_open", args=[person.pk]), post_only),
        "parcours:path_override_clear": (
            reverse("parcours:path_override_clear", args=[person.pk]),
            post_only,
        ),
        "parcours:path_component": (
            reverse("parcours:path_component", args=[person.pk, "bilan_social"]),
            expect(OWN_OBJECT_EDITORS),
        ),
        "parcours:path_evaluation_hold": (
            reverse("parcours:path_evaluation_hold", args=[person.pk, evaluation.pk]),
            expect(OWN_OBJECT_EDITORS),
        ),
        "parcours:deadlines": (reverse("parcours:deadlines"), expect(PEOPLE_READERS)),
    }
    for name in (
        "path_facts",
        "path_override",
        "path_hours_add",
        "path_test_add",
        "path_convention",
        "path_evaluation_add",
        "path_attestation",
    ):
        routes[f"parcours:{name}"] = (
            reverse(f"parcours:{name}", args=[person.pk]),
            expect(OWN_OBJECT_EDITORS),
        )
    return routes


def _path_with_evaluation(person, counsellor):
    """P1: open the person's path, sign the convention and schedule an interview (through the services)."""
    from django.utils import timezone

    from parcours import services as path_services

    path = path_services.path_open(actor=counsellor, person=person)
    path_services.convention_sign(actor=counsellor, path=path, signed_on=timezone.localdate())
    return path_services.evaluation_schedule(
        actor=counsellor, path=path, scheduled_at=timezone.now(), office=person.office
    )


def session_duo_routes(person, session, duo) -> dict:
    """P2: the collective sessions of office A and the duo of the person."""
    post_only = expect({"counsellor_a": 405, "counsellor_b": 405, "administrator": 405})
    return {
        "parcours:session_list": (reverse("parcours:session_list"), expect(PEOPLE_READERS)),
        "parcours:session_create": (
            reverse("parcours:session_create"),
            expect({"counsellor_a": 200, "counsellor_b": 200, "administrator": 200}),
        ),
        "parcours:session_detail": (
            reverse("parcours:session_detail", args=[session.pk]),
            expect(OWN_OBJECT_READERS),
        ),
        "parcours:session_attendance": (reverse("parcours:session_attendance", args=[session.pk]), post_only),
        "parcours:duo_list": (reverse("parcours:duo_list"), expect(PEOPLE_READERS)),
        "parcours:duo_create": (
            reverse("parcours:duo_create") + f"?personne={person.pk}",
            expect({"counsellor_a": 200, "counsellor_b": 404, "administrator": 200}),
        ),
        "parcours:duo_detail": (reverse("parcours:duo_detail", args=[duo.pk]), expect(OWN_OBJECT_READERS)),
        "parcours:duo_meeting_add": (reverse("parcours:duo_meeting_add", args=[duo.pk]), post_only),
    }


def _session_and_duo(person, counsellor) -> dict:
    """P2: a SIDD of office A with the person registered, and a mentoring duo of the person (through
    the services)."""
    from django.utils import timezone

    from parcours import services as path_services

    session = path_services.session_create(
        actor=counsellor, kind="sidd", starts_at=timezone.now(), office=person.office, place="Namur"
    )
    path_services.attendance_set(actor=counsellor, session=session, person=person, attended=True)
    duo = path_services.duo_create(
        actor=counsellor, mentee=person, kind="net2work", mentor_name="Mentor", starts_on=timezone.localdate()
    )
    return {"session": session, "duo": duo}


def newcomer_list_api_routes(newcomer_list) -> dict:
    """L3: communes' agents read their own lists, the path coordination (the director here) all of them;
    a coordinator without the path right and counsellors get 403."""
    readers = {"director": 200, "administrator": 200, "commune_agent": 200, "commune_agent_other": 200}
    return {
        "api-newcomer-list-list": (reverse("api-newcomer-list-list"), expect(readers, anonymous=401)),
        "api-newcomer-list-detail": (
            reverse("api-newcomer-list-detail", args=[newcomer_list.pk]),
            expect({**readers, "commune_agent_other": 404}, anonymous=401),
        ),
    }


def _newcomer_list(agent):
    """L3: a one-row list of Namur, sent through the service."""
    import datetime as dt

    from parcours import list_services

    newcomer_list, _created = list_services.newcomer_list_submit(
        actor=agent,
        commune=agent.agent_communes.get(),
        period_start=dt.date(2026, 1, 1),
        period_end=dt.date(2026, 1, 31),
        rows=[
            {
                "last_name": "MATRICE",
                "first_name": "Ligne",
                "birth_date": "01/01/1990",
                "sex": "F",
                "nationality": "Syrie",
                "registration_date": "15/01/2026",
            }
        ],
        source="api",
    )
    return newcomer_list


def reconcile_routes(newcomer_list) -> dict:
    """L2: only path coordinators (the director here) and administrators reconcile; a coordinator
    without the path right, counsellors and commune agents get 403."""
    reconcilers = {"director": 200, "administrator": 200}
    post_only = expect({"director": 405, "administrator": 405})
    row = newcomer_list.rows.first()
    return {
        "parcours:reconcile_list": (reverse("parcours:reconcile_list"), expect(reconcilers)),
        "parcours:reconcile_detail": (
            reverse("parcours:reconcile_detail", args=[newcomer_list.pk]),
            expect(reconcilers),
        ),
        "parcours:reconcile_row": (
            reverse("parcours:reconcile_row", args=[newcomer_list.pk, row.pk]),
            post_only,
        ),
        "parcours:reconcile_bulk_create": (
            reverse("parcours:reconcile_bulk_create", args=[newcomer_list.pk]),
            post_only,
        ),
        "parcours:reconcile_figures": (reverse("parcours:reconcile_figures"), expect(reconcilers)),
        "parcours:reconcile_figures_csv": (reverse("parcours:reconcile_figures_csv"), expect(reconcilers)),
    }


def portal_routes(newcomer_list) -> dict:
    """L1: the commune portal answers its agents and 403 to every other role."""
    agents = {"commune_agent": 200, "commune_agent_other": 200}
    return {
        "parcours:portal_home": (reverse("parcours:portal_home"), expect(agents)),
        "parcours:portal_template": (reverse("parcours:portal_template", args=["csv"]), expect(agents)),
        "parcours:portal_form": (reverse("parcours:portal_form"), expect(agents)),
        "parcours:portal_upload": (reverse("parcours:portal_upload"), expect(agents)),
        "parcours:portal_list_detail": (
            reverse("parcours:portal_list_detail", args=[newcomer_list.pk]),
            expect({"commune_agent": 200, "commune_agent_other": 404}),
        ),
    }


# N1: the partner network. Coordinators, the director and administrators use every page and endpoint;
# counsellors only the offer search, its export and the operators' and offers' endpoints (read);
# commune agents nothing. Nothing is tied to an office, so there is no "other scope" (404) here.
NETWORK_STAFF = {"coordinator": 200, "director": 200, "administrator": 200}
NETWORK_POST_ONLY = {"coordinator": 405, "director": 405, "administrator": 405}
OFFER_READERS = {**NETWORK_STAFF, "counsellor_a": 200, "counsellor_b": 200}


def _network_api_detail_names() -> set:
    from plateformes.api.urls import ROUTES

    return {f"{basename}-detail" for _prefix, _viewset, basename in ROUTES}


def network_routes(network) -> dict:
    """N1: every page (GET) and endpoint of the network; POST-only routes answer 405 to the staff."""
    operator, group = network["operator"].pk, network["group"].pk
    pages = {
        "operator_list": [],
        "operator_create": [],
        "operator_detail": [operator],
        "operator_update": [operator],
        "offer_create": [operator],
        "offer_update": [network["offer"].pk],
        "support_action_list": [],
        "support_action_create": [],
        "support_action_update": [network["support_action"].pk],
        "group_list": [],
        "group_create": [],
        "group_detail": [group],
        "group_update": [group],
        "meeting_create": [group],
        "meeting_calendar": [],
        "meeting_detail": [network["meeting"].pk],
        "meeting_update": [network["meeting"].pk],
        "awareness_action_list": [],
        "awareness_action_create": [],
        "awareness_action_update": [network["awareness_action"].pk],
        "interpellation_list": [],
        "interpellation_create": [],
        "interpellation_update": [network["interpellation"].pk],
        "governance_meeting_list": [],
        "governance_meeting_create": [],
        "governance_meeting_update": [network["governance_meeting"].pk],
        "staff_member_list": [],
        "staff_member_create": [],
        "staff_member_update": [network["staff_member"].pk],
        "acronym_list": [],
        "acronym_create": [],
        "acronym_update": [network["acronym"].pk],
    }
    routes = {
        f"plateformes:{name}": (reverse(f"plateformes:{name}", args=args), expect(NETWORK_STAFF))
        for name, args in pages.items()
    }
    post_only = {
        "operator_deactivate": [operator],
        "operator_reactivate": [operator],
        "group_member_add": [group],
        "group_member_remove": [group, network["member"].pk],
        "follow_up_toggle": [network["follow_up"].pk],
    }
    for name, args in post_only.items():
        routes[f"plateformes:{name}"] = (reverse(f"plateformes:{name}", args=args), expect(NETWORK_POST_ONLY))
    routes["plateformes:offer_search"] = (reverse("plateformes:offer_search"), expect(OFFER_READERS))
    routes["plateformes:offer_export"] = (
        reverse("plateformes:offer_export", args=["csv"]),
        expect(OFFER_READERS),
    )
    api = {
        "operator": (network["operator"], OFFER_READERS),
        "offer": (network["offer"], OFFER_READERS),
        "support-action": (network["support_action"], NETWORK_STAFF),
        "group": (network["group"], NETWORK_STAFF),
        "meeting": (network["meeting"], NETWORK_STAFF),
        "awareness-action": (network["awareness_action"], NETWORK_STAFF),
        "interpellation": (network["interpellation"], NETWORK_STAFF),
        "governance-meeting": (network["governance_meeting"], NETWORK_STAFF),
        "staff-member": (network["staff_member"], NETWORK_STAFF),
        "acronym": (network["acronym"], NETWORK_STAFF),
    }
    for basename, (instance, readers) in api.items():
        routes[f"api-{basename}-list"] = (reverse(f"api-{basename}-list"), expect(readers, anonymous=401))
        routes[f"api-{basename}-detail"] = (
            reverse(f"api-{basename}-detail", args=[instance.pk]),
            expect(readers, anonymous=401),
        )
    return routes


def _network_world(coordinator) -> dict:
    """N1: an operator with a contact and an offer, a support action, a group with a member and a
    meeting with a follow-up action, and one record of each other kind (through the services)."""
    import datetime as dt

    from django.utils import timezone

    from plateformes import services as network

    today = timezone.localdate()
    operator = network.operator_create(
        actor=coordinator,
        name="ILI Matrice",
        kind="ili",
        territories=[office("namur")],
        contacts=[{"name": "Contact Matrice"}],
    )
    group = network.group_create(actor=coordinator, kind="groupe_travail", name="GT Matrice")
    meeting = network.meeting_create(
        actor=coordinator,
        group=group,
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="Namur",
        follow_ups=[{"description": "Envoyer le compte rendu"}],
    )
    return {
        "operator": operator,
        "offer": network.offer_create(actor=coordinator, operator=operator, kind="francais", title="FLE A1"),
        "support_action": network.support_action_create(
            actor=coordinator, operator=operator, date=today, kind="conseil", topic="Subventions"
        ),
        "group": group,
        "member": network.group_member_add(actor=coordinator, group=group, operator=operator),
        "meeting": meeting,
        "follow_up": meeting.follow_ups.get(),
        "awareness_action": network.awareness_action_create(
            actor=coordinator, kind="conference", title="Conférence", date=today
        ),
        "interpellation": network.interpellation_create(
            actor=coordinator, kind="carte_blanche", date=today, level="region", title="Carte blanche"
        ),
        "governance_meeting": network.governance_meeting_create(actor=coordinator, kind="ca", date=today),
        "staff_member": network.staff_member_create(
            actor=coordinator, name="Chloé Dubois", team="deuxieme_ligne", function="Coordinatrice"
        ),
        "acronym": network.acronym_create(actor=coordinator, acronym="MATRICE", meaning="Sigle de test"),
    }


# R2: the activity report. The director and administrators request versions and download them; every
# staff role writes the narrative; commune agents get 403 (the allow-list), the API answers 401 to anonymous.
REPORT_READERS = {"director": 200, "administrator": 200}
NARRATIVE_WRITERS = {"counsellor_a": 200, "counsellor_b": 200, "coordinator": 200, **REPORT_READERS}


def report_routes(job) -> dict:
    from django.utils import timezone

    year = timezone.localdate().year - 1
    routes = {
        "rapports:report_home": (reverse("rapports:report_home"), expect(REPORT_READERS)),
        "rapports:dashboard": (reverse("rapports:dashboard"), expect(REPORT_READERS)),
        "rapports:narrative_home": (
            reverse("rapports:narrative_home"),
            expect(dict.fromkeys(NARRATIVE_WRITERS, 302)),
        ),
        "rapports:narrative_index": (
            reverse("rapports:narrative_index", args=[year]),
            expect(NARRATIVE_WRITERS),
        ),
        "rapports:narrative_edit": (
            reverse("rapports:narrative_edit", args=[year, "introduction"]),
            expect(NARRATIVE_WRITERS),
        ),
        "api-report-list": (reverse("api-report-list"), expect(REPORT_READERS, anonymous=401)),
        "api-report-detail": (
            reverse("api-report-detail", args=[job.pk]),
            expect(REPORT_READERS, anonymous=401),
        ),
        "api-report-pdf": (reverse("api-report-pdf", args=[job.pk]), expect(REPORT_READERS, anonymous=401)),
    }
    for name in ("job_detail", "job_pdf", "job_xlsx", "job_csv"):
        routes[f"rapports:{name}"] = (reverse(f"rapports:{name}", args=[job.pk]), expect(REPORT_READERS))
    return routes


def _report_job(director):
    """R2: a finished version (small stand-in files, no rendering)."""
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from rapports.models import JobStatus, ReportJob

    return ReportJob.objects.create(
        year=timezone.localdate().year - 1,
        version=1,
        requested_by=director,
        status=JobStatus.DONE,
        progress=100,
        pdf=ContentFile(b"%PDF-1.7 matrice", name="rapport-matrice.pdf"),
        xlsx=ContentFile(b"PK matrice", name="rapport-matrice.xlsx"),
        figures={"tables": []},
        figures_fingerprint="0" * 64,
        pages=1,
    )


# N2: trainings for professionals. Coordinators, the director and administrators use every page and
# endpoint; counsellors and commune agents get 403. No office scope, so no 404 for "other scope".
TRAINING_STAFF = {"coordinator": 200, "director": 200, "administrator": 200}
TRAINING_POST_ONLY = {"coordinator": 405, "director": 405, "administrator": 405}


def _trainings_api_detail_names() -> set:
    from formations.api.urls import ROUTES

    return {f"{basename}-detail" for _prefix, _viewset, basename in ROUTES}


def trainings_routes(trainings) -> dict:
    """N2: every page (GET) and endpoint of the trainings; POST-only routes answer 405 to the staff."""
    training, session = trainings["training"].pk, trainings["session"].pk
    registration, trainer = trainings["registration"].pk, trainings["trainer"].pk
    pages = {
        "training_list": [],
        "training_create": [],
        "training_detail": [training],
        "training_update": [training],
        "session_create": [training],
        "session_list": [],
        "session_detail": [session],
        "session_update": [session],
        "session_postpone": [session],
        "session_cancel": [session],
        "programme": [],
        "programme_pdf": [],
    }
    post_only = {
        "session_hold": [session],
        "trainer_add": [session],
        "trainer_remove": [session, trainer],
        "registration_add": [session],
        "registration_cancel": [registration],
        "registration_attendance": [registration],
    }
    routes = {
        f"formations:{name}": (reverse(f"formations:{name}", args=args), expect(TRAINING_STAFF))
        for name, args in pages.items()
    }
    for name, args in post_only.items():
        routes[f"formations:{name}"] = (reverse(f"formations:{name}", args=args), expect(TRAINING_POST_ONLY))
    for basename, pk in (
        ("training", training),
        ("training-session", session),
        ("registration", registration),
    ):
        routes[f"api-{basename}-list"] = (
            reverse(f"api-{basename}-list"),
            expect(TRAINING_STAFF, anonymous=401),
        )
        routes[f"api-{basename}-detail"] = (
            reverse(f"api-{basename}-detail", args=[pk]),
            expect(TRAINING_STAFF, anonymous=401),
        )
    actions = {
        "training-session": (session, ["hold", "postpone", "cancel"]),
        "registration": (registration, ["cancel", "attendance"]),
    }
    for basename, (pk, names) in actions.items():
        for name in names:
            routes[f"api-{basename}-{name}"] = (
                reverse(f"api-{basename}-{name}", args=[pk]),
                expect(TRAINING_POST_ONLY, anonymous=401),
            )
    return routes


def _trainings_world(coordinator, director) -> dict:
    """N2: a training with a session (given by the director and an external speaker) and one
    registration, through the services."""
    import datetime as dt

    from django.utils import timezone

    from formations import services as trainings
    from plateformes.models import Operator

    operator = Operator.objects.create(name="Organisme de formation Matrice", kind="association")
    training = trainings.training_create(actor=coordinator, title="Formation Matrice")
    start = timezone.now() + dt.timedelta(days=30)
    session = trainings.session_create(
        actor=coordinator,
        training=training,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        place="Namur",
        trainers=[trainings.TrainerSpec(user=director)],
    )
    trainer = trainings.trainer_add(
        actor=coordinator, session=session, name="Intervenante", operator=operator
    )
    registration = trainings.registration_add(
        actor=coordinator, session=session, name="Professionnelle Matrice", email="matrice@example.org"
    )
    return {"training": training, "session": session, "trainer": trainer, "registration": registration}


def access_routes(person, review) -> dict:
    """The access logs (of the person of office A, per user) and the weekly access reviews."""
    readers = expect({"director": 200, "administrator": 200})
    return {
        "privacy:person_access_log": (reverse("privacy:person_access_log", args=[person.pk]), readers),
        "privacy:user_access_log": (reverse("privacy:user_access_log"), readers),
        "privacy:access_review_list": (reverse("privacy:access_review_list"), readers),
        "privacy:access_review_detail": (reverse("privacy:access_review_detail", args=[review.pk]), readers),
        "privacy:access_review_mark_reviewed": (
            reverse("privacy:access_review_mark_reviewed", args=[review.pk]),
            expect({"director": 405, "administrator": 405}),
        ),
    }


# Data protection: the register, the breach log and the retention policy belong to the director and
# administrators; every other role gets 403 (POST-only routes: 405 to them).
PRIVACY_KEEPERS = {"director": 200, "administrator": 200}


def privacy_routes(privacy) -> dict:
    activity, breach, rule = privacy["activity"].pk, privacy["breach"].pk, privacy["rule"].pk
    pages = {
        "home": [],
        "retention": [],
        "retention_rule_update": [rule],
        "activity_list": [],
        "activity_create": [],
        "activity_detail": [activity],
        "activity_update": [activity],
        "register_pdf": [],
        "breach_list": [],
        "breach_create": [],
        "breach_detail": [breach],
        "breach_update": [breach],
    }
    routes = {
        f"privacy:{name}": (reverse(f"privacy:{name}", args=args), expect(PRIVACY_KEEPERS))
        for name, args in pages.items()
    }
    for name in ("retention_simulate", "retention_run"):
        routes[f"privacy:{name}"] = (
            reverse(f"privacy:{name}"),
            expect({"director": 405, "administrator": 405}),
        )
    return routes


def _privacy_world(director) -> dict:
    """A register entry and a retention rule (seeded by the migration) and a breach (through the service)."""
    import datetime as dt

    from django.utils import timezone

    from cai.privacy import services as privacy
    from cai.privacy.models import ProcessingActivity, RetentionRule

    breach = privacy.breach_create(
        actor=director,
        title="Courriel mal adressé",
        discovered_at=timezone.now() - dt.timedelta(days=1),
        description="Une liste envoyée au mauvais destinataire.",
        affects_confidentiality=True,
        subject_categories="Personnes accompagnées",
        subjects_count=3,
        record_categories="Noms et adresses",
        records_count=3,
        likely_consequences="Faibles",
        measures_taken="Demande d'effacement au destinataire",
        not_notified_reason="Risque improbable",
        subjects_not_informed_reason="Risque improbable",
    )
    return {
        "activity": ProcessingActivity.objects.first(),
        "rule": RetentionRule.objects.first(),
        "breach": breach,
    }


def _access_review():
    """A computed weekly access review (last week)."""
    import datetime as dt

    from django.utils import timezone

    from cai.privacy.services import access_review_compute

    today = timezone.localdate()
    review, _created = access_review_compute(week_start=today - dt.timedelta(days=today.weekday() + 7))
    return review


def _disabled_client():
    user = UserFactory(username="ancien", role=Role.COUNSELLOR, offices=[office("namur")])
    client = signed_in_client(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    return client


def test_every_named_url_is_in_the_matrix(world):
    missing = sorted(set(named_urls()) - set(build(world)))
    assert not missing, f"Pages or endpoints without a permission-matrix entry: {missing}"


def test_every_persona_gets_the_expected_answer_on_every_url(world):
    mismatches = []
    for name, (url, expected) in build(world).items():
        for persona in PERSONAS:
            status = world["clients"][persona].get(url).status_code
            if status != expected[persona]:
                mismatches.append(f"{name} as {persona}: {status}, expected {expected[persona]}")
    assert not mismatches, "\n".join(mismatches)


def test_no_out_of_scope_answer_is_a_success(world):
    """The other office's counsellor and the outside roles never get a 2xx on an object of office A."""
    object_urls = [
        name for name in build(world) if name.endswith(("_detail", "_update", "_delete")) or "detail" in name
    ]
    matrix = build(world)
    for name in object_urls:
        url, _ = matrix[name]
        # Objects of a commune, not of office A (L3, L1: a Namur list is its agent's to read).
        if any(part in name for part in ("office", "commune", "request-type", "newcomer-list", "portal")):
            continue
        # N1: the network is shared by the whole centre (coordinators and counsellors read it by role).
        if name.startswith("plateformes:") or name in _network_api_detail_names():
            continue
        # N2: trainings belong to no office; coordinators read them by role.
        if name.startswith("formations:") or name in _trainings_api_detail_names():
            continue
        for persona in (
            "counsellor_b",
            "coordinator",
            "commune_agent",
            "commune_agent_other",
            "disabled",
            "anonymous",
        ):
            status = world["clients"][persona].get(url).status_code
            assert not 200 <= status < 300, f"{name} as {persona} answered {status}"


ELEMENT_ID = re.compile(r"<[a-zA-Z][^>]*?\sid=\"([^\"]+)\"")


def test_no_page_repeats_an_element_id(world):
    """An id is unique in its page: labels, ``aria-describedby`` and the browser tests point at it
    (two forms on one page once both rendered ``id_year``)."""
    repeated = []
    for name, (url, _expected) in build(world).items():
        for persona in ("counsellor_a", "coordinator", "director", "administrator", "commune_agent"):
            response = world["clients"][persona].get(url)
            if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
                continue
            ids = Counter(ELEMENT_ID.findall(response.content.decode()))
            twice = sorted(element for element, count in ids.items() if count > 1)
            if twice:
                repeated.append(f"{name} as {persona}: {twice}")
    assert not repeated, "\n".join(repeated)
