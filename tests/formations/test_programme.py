"""Next year's programme: the page and the PDF (read back with pdftotext) hold the year's sessions,
postponed ones at their new date, and never the cancelled ones."""

import datetime as dt
import subprocess

import pytest
from django.urls import reverse

from formations import services
from formations.choices import SessionStatus
from formations.models import Trainer
from tests.conftest import signed_in_client
from tests.formations.conftest import NEXT_YEAR, in_year, make_operator, make_session, make_training

pytestmark = pytest.mark.django_db
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


def french_day(moment: dt.datetime) -> str:
    """``lundi 1er mars 2027``: the weekday and the date, as the programme writes them."""
    months = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()
    day = "1er" if moment.day == 1 else str(moment.day)
    return f"{WEEKDAYS[moment.weekday()]} {day} {months[moment.month - 1]} {moment.year}"


@pytest.fixture
def programme(coordinator, director):
    """Next year: a planned session (1 April), one postponed from January to June, one cancelled;
    and a planned session of the year after, which is not next year's programme."""
    interculturel = make_training("Communication interculturelle", theme="Interculturalité")
    planned = make_session(interculturel, starts_at=in_year(NEXT_YEAR, 4, 1, 9, 30), capacity=15)
    Trainer.objects.create(session=planned, user=director)
    Trainer.objects.create(
        session=planned, name="Aïcha Benali", operator=make_operator("Lire et Écrire Namur")
    )
    postponed = make_session(make_training("Droit des étrangers"), starts_at=in_year(NEXT_YEAR, 1, 12, 13, 0))
    services.session_postpone(actor=coordinator, session=postponed, new_date=in_year(NEXT_YEAR, 6, 15, 13, 0))
    cancelled = make_session(make_training("Santé mentale et exil"), starts_at=in_year(NEXT_YEAR, 5, 3))
    services.session_cancel(actor=coordinator, session=cancelled, reason="Formatrice indisponible")
    make_session(make_training("Petite enfance"), starts_at=in_year(NEXT_YEAR + 1, 2, 2))
    online = make_session(
        make_training("Antiracisme au quotidien"), starts_at=in_year(NEXT_YEAR, 9, 21, 14, 0)
    )
    online.online, online.place = True, ""
    online.save()
    return {"planned": planned, "postponed": postponed, "cancelled": cancelled}


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "programme.pdf"
    path.write_bytes(content)
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)  # noqa: S603, S607
    return " ".join(result.stdout.decode().split())


def test_programme_pdf_lists_the_years_sessions_and_not_the_cancelled_ones(coordinator, programme, tmp_path):
    response = signed_in_client(coordinator).get(reverse("formations:programme_pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert f"programme-formations-{NEXT_YEAR}.pdf" in response["Content-Disposition"]
    text = pdf_text(response.content, tmp_path)
    assert f"Programme des formations {NEXT_YEAR}" in text
    assert "Centre d'Action Interculturelle de la province de Namur" in text
    assert "Communication interculturelle" in text
    assert french_day(in_year(NEXT_YEAR, 4, 1)) in text and "9h30–12h30" in text
    assert "Diane Leroy (CAI)" in text and "Aïcha Benali" in text and "Écrire Namur" in text
    assert "15 places" in text
    assert "Droit des étrangers" in text and french_day(in_year(NEXT_YEAR, 6, 15)) in text
    assert f"reportée, initialement le 12 janvier {NEXT_YEAR}" in text
    assert "Antiracisme au quotidien" in text and "En ligne" in text
    assert "Santé mentale et exil" not in text
    assert "Petite enfance" not in text
    assert "3 sessions · 3 formations" in text
    # In date order: April, June, September.
    assert (
        text.index("Communication interculturelle")
        < text.index("Droit des étrangers")
        < text.index("Antiracisme")
    )


def test_programme_of_another_year_is_chosen_with_annee(coordinator, programme, tmp_path):
    client = signed_in_client(coordinator)
    text = pdf_text(
        client.get(reverse("formations:programme_pdf"), {"annee": NEXT_YEAR + 1}).content, tmp_path
    )
    assert "Petite enfance" in text and "Communication interculturelle" not in text


def test_programme_page_lists_the_same_sessions(coordinator, programme):
    response = signed_in_client(coordinator).get(reverse("formations:programme"))
    page = response.content.decode()
    assert f"Programme des formations {NEXT_YEAR}" in page
    assert "Communication interculturelle" in page and "Droit des étrangers" in page
    assert "Santé mentale et exil" not in page and "Petite enfance" not in page
    assert f'href="{reverse("formations:programme_pdf")}?annee={NEXT_YEAR}"' in page


def test_programme_with_an_invalid_year_says_so(coordinator, programme):
    client = signed_in_client(coordinator)
    response = client.get(reverse("formations:programme"), {"annee": "deux-mille"})
    assert response.status_code == 200
    assert "L'année doit être un nombre" in response.content.decode().replace("&#x27;", "'")
    assert f"Programme des formations {NEXT_YEAR}" in response.content.decode()
    response = client.get(reverse("formations:programme_pdf"), {"annee": "99999"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('formations:programme')}?annee=99999"


def test_programme_without_sessions_says_what_to_do(coordinator):
    response = signed_in_client(coordinator).get(reverse("formations:programme"), {"annee": 2030})
    assert "Aucune session n'est encore planifiée pour 2030." in response.content.decode().replace(
        "&#x27;", "'"
    )


def test_held_sessions_stay_in_their_years_programme(coordinator, programme):
    held = make_session(make_training("Accueil et orientation"), starts_at=in_year(NEXT_YEAR - 1, 2, 1))
    held.status = SessionStatus.HELD
    held.save()
    response = signed_in_client(coordinator).get(reverse("formations:programme"), {"annee": NEXT_YEAR - 1})
    assert "Accueil et orientation" in response.content.decode()


@pytest.mark.parametrize("count", [3, 40])
def test_programme_page_query_count_is_fixed(coordinator, director, django_assert_max_num_queries, count):
    operator = make_operator()
    for index in range(count):
        session = make_session(make_training(), starts_at=in_year(NEXT_YEAR, 1 + index % 12, 1 + index % 28))
        Trainer.objects.create(session=session, user=director)
        Trainer.objects.create(session=session, name="Intervenante", operator=operator)
    client = signed_in_client(coordinator)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("formations:programme"))
    assert response.status_code == 200
    assert f"{count} sessions" in response.content.decode()
