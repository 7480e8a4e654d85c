"""Permanence schedules: recurrence rules (weekly, nth weekday of the month) minus exceptions."""

import datetime as dt
from dataclasses import dataclass

from dateutil.rrule import MONTHLY, WEEKLY, rrule
from django.utils.translation import gettext as _

from .choices import ExceptionKind, PermanenceKind, Weekday

ORDINALS = {1: "1er", 2: "2e", 3: "3e", 4: "4e", 5: "5e", -1: "dernier"}


def describe_rule(rule) -> str:
    day = Weekday(rule.weekday).label
    hours = f"{rule.start_time:%H:%M}–{rule.end_time:%H:%M}"
    if rule.kind == PermanenceKind.WEEKLY:
        text = _("chaque %(day)s, %(hours)s") % {"day": day, "hours": hours}
    else:
        text = _("%(nth)s %(day)s du mois, %(hours)s") % {
            "nth": ORDINALS.get(rule.nth, rule.nth),
            "day": day,
            "hours": hours,
        }
    if rule.appointment_only:
        text += " " + _("(sur rendez-vous)")
    return text


@dataclass(frozen=True)
class Permanence:
    office: object
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    appointment_only: bool
    note: str = ""


def rule_dates(rule, start: dt.date, end: dt.date) -> list[dt.date]:
    """The dates in [start, end] on which a rule falls, within its validity."""
    first = max(start, rule.valid_from) if rule.valid_from else start
    last = min(end, rule.valid_until) if rule.valid_until else end
    if first > last:
        return []
    if rule.kind == PermanenceKind.WEEKLY:
        recurrence = rrule(WEEKLY, byweekday=rule.weekday, dtstart=first, until=last)
    else:
        from dateutil.rrule import weekday as rr_weekday

        recurrence = rrule(MONTHLY, byweekday=rr_weekday(rule.weekday, rule.nth), dtstart=first, until=last)
    return [d.date() for d in recurrence]


def permanences_between(offices, start: dt.date, end: dt.date) -> list[Permanence]:
    """Every permanence of the given offices in [start, end], exceptions applied, in date order.

    ``offices`` must come with ``permanence_rules`` and ``permanence_exceptions`` prefetched.
    """
    result = []
    for office in offices:
        exceptions = list(office.permanence_exceptions.all())
        for rule in office.permanence_rules.all():
            for day in rule_dates(rule, start, end):
                exception = next((e for e in exceptions if e.start_date <= day <= e.end_date), None)
                if exception and exception.kind == ExceptionKind.CLOSED:
                    continue
                appointment_only = rule.appointment_only or bool(exception)
                result.append(
                    Permanence(
                        office=office,
                        date=day,
                        start_time=rule.start_time,
                        end_time=rule.end_time,
                        appointment_only=appointment_only,
                        note=exception.reason if exception else "",
                    )
                )
    result.sort(key=lambda p: (p.date, p.start_time, p.office.name))
    return result
