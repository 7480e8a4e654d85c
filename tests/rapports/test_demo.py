"""The demo year's report texts (``rapports.demo``): every section and office gets one, a text the
team wrote stays as it is, and the texts reach the report the builder renders."""

import datetime as dt

import pytest

from accompagnement.models import Office
from rapports import demo, services
from rapports.builder import narrative_for
from rapports.models import NarrativeBlock
from rapports.sections import SECTIONS

pytestmark = pytest.mark.django_db

YEAR = 2026


def every_section_key() -> set[str]:
    return {section.key for section in SECTIONS} | {
        f"office:{slug}" for slug in Office.objects.values_list("slug", flat=True)
    }


def test_the_demo_writes_a_text_for_every_section_and_every_office(director, coordinator):
    line = demo.extend_demo(
        seed=1, today=dt.date(YEAR, 11, 22), staff={"direction": director, "coordination": coordinator}
    )

    blocks = NarrativeBlock.objects.filter(year=YEAR)
    assert set(blocks.values_list("section", flat=True)) == every_section_key()
    assert not blocks.filter(text="").exists()
    assert blocks.get(section="introduction").updated_by == director
    assert blocks.get(section="coordination.plateformes").updated_by == coordinator
    assert line == f"Rapport : {len(every_section_key())} textes rédigés pour {YEAR}."


def test_a_text_the_team_wrote_is_never_replaced(director):
    services.narrative_save(actor=director, year=YEAR, section="introduction", text="Notre année.")

    written = demo.write_sample_texts(year=YEAR, staff={"direction": director})

    assert written == len(every_section_key()) - 1
    assert NarrativeBlock.objects.get(year=YEAR, section="introduction").text == "Notre année."
    assert demo.write_sample_texts(year=YEAR, staff={"direction": director}) == 0


def test_the_sample_texts_reach_the_report(director):
    demo.write_sample_texts(year=YEAR, staff={"direction": director})

    narrative = narrative_for(YEAR)
    assert "huit bureaux" in narrative["introduction"]
    assert "Namur" in narrative["office:namur"]
