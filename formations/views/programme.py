"""Next year's programme: the sessions of a chosen year (the coming year by default), as a page and
as a PDF (WeasyPrint through ``cai.pdf.render_pdf``). Cancelled sessions are left out."""

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from cai.pdf import long_date, render_pdf

from .. import selectors
from ..forms import ProgrammeYearForm
from .common import ManagesTrainingsMixin


def programme_rows(*, user, year: int) -> list[dict]:
    """One row per session of the year, in date order, with its dates in French."""
    rows = []
    for session in selectors.programme_sessions(user=user, year=year):
        start = timezone.localtime(session.scheduled_at)
        end = start + (session.ends_at - session.starts_at)
        rows.append(
            {
                "session": session,
                "training": session.training,
                "date": long_date(start.date()),
                "start": start,
                "end": end,
                "same_day": start.date() == end.date(),
                "end_date": long_date(end.date()),
                "postponed_from": long_date(timezone.localtime(session.starts_at).date())
                if session.postponed_to
                else "",
                "trainers": list(session.trainers.all()),
            }
        )
    return rows


def programme_context(*, user, year: int) -> dict:
    rows = programme_rows(user=user, year=year)
    return {
        "year": year,
        "rows": rows,
        "trainings_count": len({row["training"].pk for row in rows}),
        "centre_name": settings.CAI_CENTRE_NAME,
        "centre_short_name": settings.CAI_CENTRE_SHORT_NAME,
        "generated_on": long_date(timezone.localdate()),
    }


class ProgrammeView(ManagesTrainingsMixin, TemplateView):
    """``?annee=YYYY``; an invalid year is said on the page, which shows the coming year instead."""

    template_name = "formations/programme.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = ProgrammeYearForm(
            self.request.GET or None, initial={"annee": selectors.default_programme_year()}
        )
        year = form.year()
        context.update(programme_context(user=self.request.user, year=year), form=form)
        return context


class ProgrammePdfView(ManagesTrainingsMixin, View):
    """The programme as a PDF. An invalid year goes back to the page, which explains it."""

    def get(self, request):
        form = ProgrammeYearForm(request.GET or None)
        if form.is_bound and not form.is_valid():
            return redirect(f"{reverse('formations:programme')}?{request.GET.urlencode()}")
        year = form.year()
        pdf = render_pdf("formations/pdf/programme.html", programme_context(user=request.user, year=year))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="programme-formations-{year}.pdf"'
        return response
