"""Reads of the report pages and API: the versions (jobs) of the report and the narrative blocks of a
year. Only the director and administrators see jobs (checked by the callers); no job is tied to an
office, so there is no further scope."""

import html

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils.html import strip_tags
from django.utils.text import Truncator

from .models import JobStatus, NarrativeBlock, ReportJob
from .sections import CHAPTERS, SECTIONS, office_sections

PREVIEW_CHARS = 180


def job_list():
    """Every version, newest first, with who asked and the fingerprint of the previous finished version
    of the same year (``previous_fingerprint``, a subquery: one query whatever the number of versions).
    The stored figures are left out (they are only read by the CSV download)."""
    previous_done = (
        ReportJob.objects.filter(
            year=OuterRef("year"), status=JobStatus.DONE, version__lt=OuterRef("version")
        )
        .order_by("-version")
        .values("figures_fingerprint")[:1]
    )
    return (
        ReportJob.objects.select_related("requested_by")
        .defer("figures")
        .annotate(previous_fingerprint=Subquery(previous_done))
        .order_by("-year", "-version")
    )


def get_job(*, pk, with_figures: bool = False) -> ReportJob:
    """A version by id; 404 when missing."""
    queryset = ReportJob.objects.select_related("requested_by")
    if not with_figures:
        queryset = queryset.defer("figures")
    try:
        return queryset.get(pk=pk)
    except (ReportJob.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def text_preview(text: str, length: int = PREVIEW_CHARS) -> str:
    """The first words of a block, as plain text (tags removed, entities decoded)."""
    return Truncator(html.unescape(strip_tags(text)).strip()).chars(length)


def narrative_chapters(*, year: int) -> list[dict]:
    """Every section of the report (the fixed ones and one per office), grouped by chapter, each with
    its block of ``year`` if written (``block``: text preview, last editor, date). Two queries."""
    blocks = {
        block.section: block
        for block in NarrativeBlock.objects.filter(year=year).select_related("updated_by")
    }
    sections = all_sections()
    chapters = []
    for key, title in CHAPTERS:
        rows = []
        for section in sections:
            if section.chapter != key:
                continue
            block = blocks.get(section.key)
            rows.append(
                {
                    "section": section,
                    "anchor": anchor_for(section.key),
                    "block": block,
                    "preview": text_preview(block.text) if block and block.text else "",
                }
            )
        chapters.append({"key": key, "title": title, "sections": rows})
    return chapters


def all_sections() -> list:
    """The fixed sections with the offices' blocks placed before the perspectives of their chapter."""
    offices = office_sections()
    sections = []
    for section in SECTIONS:
        if section.key == "accompagnement.perspectives":
            sections.extend(offices)
            offices = []
        sections.append(section)
    return [*sections, *offices]


def section_for(key: str):
    """The section of that key (fixed or an office's), or None."""
    for section in all_sections():
        if section.key == key:
            return section
    return None


def anchor_for(key: str) -> str:
    """The HTML id of a section's row on the index page (``office:namur`` → ``section-office-namur``)."""
    return "section-" + key.replace(":", "-").replace(".", "-")
