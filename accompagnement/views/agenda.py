"""A counsellor's day ("Ma journée") and their personal calendar feed (ICS).

The feed is read by calendar applications, which cannot sign in: a secret per-user token in the URL
stands for the user. Since events leave the application, they carry the person's initials and the
mode only: no name, no number, no notes.
"""

import datetime as dt
from itertools import groupby

import icalendar
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.mixins import UserPassesTestMixin
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_GET
from django.views.generic import TemplateView

from .. import selectors
from ..permanences import permanences_between

PERMANENCE_DAYS = 28
FEED_PAST_DAYS = 30
FEED_FUTURE_DAYS = 90
UID_DOMAIN = "cai-agenda"


class CounsellorOnlyMixin(UserPassesTestMixin):
    raise_exception = True

    def test_func(self):
        user = self.request.user
        return user.is_active and user.is_counsellor


def local_today() -> dt.date:
    """Today in Europe/Brussels (a function, so tests can pin the day)."""
    return timezone.localdate()


def next_monday(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=7 - day.weekday())


def by_local_day(appointments) -> list[tuple[dt.date, list]]:
    """Appointments (in time order) grouped by their day in the local time zone."""
    return [
        (day, list(items))
        for day, items in groupby(appointments, key=lambda a: timezone.localtime(a.starts_at).date())
    ]


class MyDayView(CounsellorOnlyMixin, TemplateView):
    """Today's appointments of the counsellor, the rest of the week (until Sunday), across all their
    offices, and the permanences of their offices in the next four weeks."""

    template_name = "accompagnement/my_day.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = local_today()
        day_start, day_end = selectors.local_day_bounds(today)
        week_end, _unused = selectors.local_day_bounds(next_monday(today))
        agenda = list(selectors.counsellor_agenda(user=user, start=day_start, end=week_end))
        offices = selectors.offices_with_schedules(offices=user.offices.all())
        context.update(
            today=today,
            today_appointments=[a for a in agenda if a.starts_at < day_end],
            week_days=by_local_day([a for a in agenda if a.starts_at >= day_end]),
            permanences=permanences_between(offices, today, today + dt.timedelta(days=PERMANENCE_DAYS)),
            feed_url=self.request.build_absolute_uri(
                reverse("accompagnement:calendar_feed", args=[user.calendar_token])
            ),
        )
        return context


class CalendarTokenRotateView(CounsellorOnlyMixin, View):
    """A new feed URL; the old one answers 404 from now on (for a lost phone, a shared link…)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        request.user.rotate_calendar_token()
        messages.success(
            request,
            _("Nouveau lien créé : l'ancien ne fonctionne plus. Abonnez votre calendrier au nouveau lien."),
        )
        return redirect("accompagnement:my_day")


def initials(person) -> str:
    """``Yara Haddad`` → ``Y. H.``"""
    return " ".join(
        f"{name.strip()[0].upper()}." for name in (person.first_name, person.last_name) if name.strip()
    )


def appointment_event(appointment, *, base_url: str, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"rendez-vous-{appointment.pk}@{UID_DOMAIN}")
    event.add("dtstamp", stamp)
    event.add("last-modified", appointment.updated_at.astimezone(dt.UTC))
    start = appointment.starts_at.astimezone(dt.UTC)
    event.add("dtstart", start)
    event.add("dtend", start + dt.timedelta(minutes=appointment.duration_minutes))
    event.add(
        "summary",
        _("RDV %(initials)s — %(mode)s")
        % {"initials": initials(appointment.person), "mode": appointment.get_mode_display().lower()},
    )
    # The office only: a free-text "other place" may be the person's home address.
    event.add("location", appointment.office.name if appointment.office else _("Autre lieu"))
    event.add("url", base_url + appointment.get_absolute_url())
    event.add("class", "PRIVATE")
    return event


def permanence_event(permanence, *, stamp: dt.datetime) -> icalendar.Event:
    tz = timezone.get_current_timezone()
    office = permanence.office
    event = icalendar.Event()
    event.add(
        "uid", f"permanence-{office.slug}-{permanence.date:%Y%m%d}-{permanence.start_time:%H%M}@{UID_DOMAIN}"
    )
    event.add("dtstamp", stamp)
    event.add(
        "dtstart", dt.datetime.combine(permanence.date, permanence.start_time, tzinfo=tz).astimezone(dt.UTC)
    )
    event.add(
        "dtend", dt.datetime.combine(permanence.date, permanence.end_time, tzinfo=tz).astimezone(dt.UTC)
    )
    summary = _("Permanence — %(office)s") % {"office": office.name}
    if permanence.appointment_only:
        summary += " " + _("(sur rendez-vous)")
    event.add("summary", summary)
    event.add("location", ", ".join(part for part in (office.name, office.address) if part))
    return event


def build_calendar(*, user, base_url: str) -> bytes:
    """The user's appointments from 30 days ago to 90 days ahead, and their offices' permanences."""
    now = timezone.now()
    today = timezone.localdate(now)
    first_day, last_day = (
        today - dt.timedelta(days=FEED_PAST_DAYS),
        today + dt.timedelta(days=FEED_FUTURE_DAYS),
    )
    start, _unused = selectors.local_day_bounds(first_day)
    _unused, end = selectors.local_day_bounds(last_day)
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)

    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//cai//agenda//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", _("Mon agenda %(centre)s") % {"centre": settings.CAI_CENTRE_SHORT_NAME})
    calendar.add("refresh-interval", dt.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for appointment in selectors.counsellor_agenda(user=user, start=start, end=end):
        calendar.add_component(appointment_event(appointment, base_url=base_url, stamp=stamp))
    offices = selectors.offices_with_schedules(offices=user.offices.all())
    for permanence in permanences_between(offices, first_day, last_day):
        calendar.add_component(permanence_event(permanence, stamp=stamp))
    return calendar.to_ical()


@login_not_required
@require_GET
def calendar_feed(request, token: str):
    """``/agenda/<token>.ics`` for calendar applications. Unknown token or inactive user: 404."""
    user = get_object_or_404(get_user_model(), calendar_token=token, is_active=True)
    body = build_calendar(user=user, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = 'inline; filename="agenda.ics"'
    response["X-Robots-Tag"] = "noindex"
    return response
