"""The report as printed: every chapter's figures in the PDF's text, its layout (cover, contents with
page numbers, running headers, page numbers, perspectives, empty states), its charts, French
typography, and the XLSX/CSV exports of every table."""

import base64
import io
import re
from xml.etree import ElementTree  # our own SVG, not untrusted input

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test import override_settings
from openpyxl import load_workbook

from rapports import charts, exports, services
from rapports.builder import build_report, narrative_for
from rapports.models import JobStatus, ReportJob
from rapports.selectors import all_tables, report_figures
from rapports.templatetags.report_tags import bar_chart_of, column_layout, french_spacing, nombre
from tests.pdfutils import pdf_text
from tests.rapports import chapter_data
from tests.rapports.chapter_data import YEAR

pytestmark = pytest.mark.django_db
CENTRE = "Centre d'essai pour l'intégration"


def build(director) -> ReportJob:
    job = ReportJob.objects.create(year=YEAR, version=1, requested_by=director)
    assert build_report(job.pk) == "done"
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    return job


def flat(text: str) -> str:
    """The text on one line, spaces of every kind as one."""
    return " ".join(text.split())


@pytest.fixture
def chapters(counsellor_a, coordinator, office_a):
    chapter_data.build_all(counsellor=counsellor_a, coordinator=coordinator, office=office_a)


@pytest.fixture
def perspectives(director):
    services.narrative_save(
        actor=director,
        year=YEAR,
        section="formation.perspectives",
        text="<p>Un module sur la santé mentale.</p>",
    )


@override_settings(CAI_CENTRE_NAME=CENTRE)
def test_the_pdf_prints_every_table_of_every_chapter_with_its_figures(chapters, director):
    job = build(director)
    text = pdf_text(job.pdf.read())
    one_line = flat(text)
    for table in all_tables(report_figures(year=YEAR)):
        assert flat(table["title"]) in one_line, table["key"]
    lines = text.splitlines()

    def line_with(*parts):
        return next((line for line in lines if all(part in line for part in parts)), "")

    # coordination: meetings, distinct people and organisations; support beside the year before
    assert re.search(r"Plateforme citoyenneté\s+Actif\s+2\s+4\s+3", text)
    assert re.search(r"Total \(opérateurs distincts\)\s+3\s+2\s+2\s+2", text)
    # trainings: trainers, registrations and attendance; postponed, cancelled; programme of next year
    held = line_with("12/03/2025", "Chloé")  # staff trainer, external speaker, registered, present
    assert "Approche" in held and "Jean Expert" in held and re.search(r"\s3\s+2$", held)
    assert "Formateur malade" in text and f"20/01/{YEAR + 1}" in line_with("Droit des étrangers", "Reportée")
    assert "Commune de Ciney" in line_with("Accueil au guichet")
    assert f"Programme des formations {YEAR + 1}" in text
    assert "Salle indisponible" not in text  # next year's cancelled session is not in the programme
    # awareness (audience written the French way), publications
    assert re.search(r"Journée contre le racisme\s+Province de Namur\s+1 250", text)
    assert "CAIstiques 2025" in text
    # interpellations per level, with their month and commune
    assert re.search(r"Février\s+Motion commune hospitalière\s+Motion\s+Namur", text)
    assert re.search(r"Juin\s+Carte blanche sur le parcours", text)
    # governance dates; the team on 1 January of next year; the glossary
    assert re.search(r"Conseil d'administration\s+2\s+12/02/2025, 10/12/2025", text)
    assert "Claire Fontaine" in text and "Nina Nouvelle" in text
    assert "Paul Parti" not in text and "Léo Futur" not in text
    assert "Initiative locale d'intégration" in text
    # the year beside the year before
    assert re.search(r"Sessions de formation tenues\s+3\s+1\s+\+200 %", text)
    assert re.search(r"Participant·e·s aux SIDD\s+2\s+0\s+—", text)


@override_settings(CAI_CENTRE_NAME=CENTRE)
def test_the_pdf_is_laid_out_as_a_printed_report(chapters, perspectives, director):
    job = build(director)
    pages = pdf_text(job.pdf.read()).split("\f")
    if not pages[-1].strip():
        pages = pages[:-1]
    assert len(pages) == job.pages >= 12
    cover, contents = pages[0], pages[1]
    assert CENTRE in cover and "Rapport d'activités" in cover and str(YEAR) in cover
    assert "version 1" in cover
    # contents with page numbers that point at the chapters' pages
    found = re.search(r"Formation et sensibilisation\s*\.{3,}\s*(\d+)", contents)
    assert found, contents
    chapter_page = pages[int(found.group(1)) - 1]
    assert re.search(r"^\s*Formation et sensibilisation\s*$", chapter_page, re.MULTILINE)
    # running header (report title, chapter) and footer (centre, page number) on inner pages
    header = chapter_page.strip().splitlines()[0]
    assert f"Rapport d'activités {YEAR}" in header and "Formation et sensibilisation" in header
    assert CENTRE in chapter_page and f"{found.group(1)} / {len(pages)}" in chapter_page
    assert f"1 / {len(pages)}" not in cover  # no running header nor page number on the cover
    # perspectives only where the team wrote them
    text = "\f".join(pages)
    assert f"Perspectives {YEAR + 1}" in text and "Un module sur la santé mentale." in text
    assert text.count("Perspectives") == 1
    # an empty table says so (no interpellation at the European level)
    europe = text[
        text.index("Niveau européen") : text.index("Supports et gestion", text.index("Niveau européen"))
    ]
    assert "Aucune donnée enregistrée." in europe


def test_an_empty_year_still_makes_a_complete_report(director):
    job = build(director)
    text = pdf_text(job.pdf.read())
    assert text.count("Aucune donnée enregistrée.") >= 10
    assert "Perspectives" not in text
    assert "Programme des formations" in text and "Glossaire des sigles" in text


def test_the_html_uses_french_typography_and_svg_images(chapters, director):
    figures = report_figures(year=YEAR)
    html = render_to_string(
        "rapports/pdf/report.html",
        {
            "centre_name": settings.CAI_CENTRE_NAME,
            "year": YEAR,
            "version": 1,
            "figures": figures,
            "narrative": narrative_for(YEAR),
            "job": None,
        },
    )
    assert "1\u202f250" in html  # audience, thousands separated by a narrow no-break space
    assert "Permanence\u00a0:" in html and "«\u00a0droits et devoirs\u00a0»" in html
    assert "<script" not in html
    images = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    # origin groups, sex, request types, offices, support to operators, trainings per state, interpellations
    assert len(images) == 7
    for encoded in images:
        ElementTree.fromstring(base64.b64decode(encoded))  # noqa: S314 - well-formed SVG


def test_the_interpellation_chart_leaves_the_total_row_out():
    table = {
        "key": "x",
        "title": "t",
        "columns": ["Niveau", "2025", "2024"],
        "rows": [["Communal & co", 3, 1], ["Régional", 2, 0], ["Total", 5, 1]],
        "note": "",
    }
    svg = base64.b64decode(bar_chart_of(table, 1, 2, total_row=True).split(",", 1)[1]).decode()
    root = ElementTree.fromstring(svg)  # noqa: S314
    labels = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "Communal &amp; co" not in labels and "Communal & co" in labels
    assert "Total" not in labels and "2025" in labels and "2024" in labels


def test_numbers_are_written_the_french_way():
    assert nombre(1234) == "1\u202f234"
    assert nombre(1234567) == "1\u202f234\u202f567"
    assert nombre(12.5) == "12,5"
    assert nombre(7.0) == "7"
    assert nombre("—") == "—"
    assert charts.format_number(0) == "0"


def test_french_spacing_leaves_tags_urls_and_times_alone():
    html = '<p>Note : voir ? Oui ! « ici » 12 %</p><a href="https://x.be/?a=1">12:30</a><td title="a : b">'
    spaced = french_spacing(html)
    assert "Note\u00a0: voir\u202f? Oui\u202f! «\u00a0ici\u00a0» 12\u202f%" in spaced
    assert 'href="https://x.be/?a=1">12:30</a>' in spaced and 'title="a : b"' in spaced


def test_column_widths_follow_the_content_and_numbers_are_right_aligned():
    table = {
        "key": "x",
        "title": "t",
        "columns": ["Formation", "Date(s)", "Présent·e·s"],
        "rows": [["Un titre de formation assez long pour prendre de la place", "12/03/2025", 12]],
        "note": "",
    }
    layout = column_layout(table)
    assert [c["numeric"] for c in layout] == [False, False, True]
    widths = [c["width"] for c in layout]
    assert sum(widths) == 100 and widths[0] > widths[1] and widths[0] > widths[2]
    many = {**table, "columns": [f"C{i}" for i in range(7)], "rows": [[f"texte {i}" for i in range(7)]]}
    assert sum(c["width"] for c in column_layout(many)) == 100  # whole percents that never overflow


def test_the_workbook_has_every_table_with_bold_headers_and_set_widths(chapters):
    figures = report_figures(year=YEAR)
    workbook = load_workbook(io.BytesIO(exports.figures_xlsx(figures, year=YEAR)))
    tables = all_tables(figures)
    assert len(workbook.sheetnames) == len(tables)
    assert {
        "plateformes",
        "formations_tenues",
        "programme",
        "interpellations_commune",
        "gouvernance",
        "equipe",
    } <= set(workbook.sheetnames)
    for table, sheet in zip(tables, workbook.worksheets, strict=True):
        assert sheet["A1"].value == table["title"]
        assert [cell.value for cell in sheet[2]][: len(table["columns"])] == table["columns"]
        assert all(cell.font.bold for cell in sheet[2][: len(table["columns"])])
        assert sheet.column_dimensions["A"].width >= exports.MIN_WIDTH
    comparison = workbook["comparaison"]
    evolution = next(
        row[3] for row in comparison.iter_rows(min_row=3) if row[0].value == "Sessions de formation tenues"
    )
    assert evolution.value == "+200\u00a0%" and evolution.data_type == "s"  # text, shown as written
    support = workbook["soutien_operateurs"]
    assert [c.value for c in support[3]] == ["Conseil", 2, 1, 1, 1]


def test_formula_like_text_is_never_a_formula_in_the_exports(chapters):
    from formations.models import Training

    Training.objects.filter(title="Approche interculturelle").update(title='=HYPERLINK("http://x")')
    figures = report_figures(year=YEAR)
    workbook = load_workbook(io.BytesIO(exports.figures_xlsx(figures, year=YEAR)))
    cell = workbook["formations_tenues"]["A3"]
    assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s" and cell.quotePrefix
    csv_text = exports.figures_csv(figures).decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text and "Programme des formations" in csv_text
