"""What other apps put on the network calendar (``MeetingCalendarView``), beside the meetings.

The apps that come later in the dependency order (``formations``) may not be imported from here, so
they register a *source* in their ``AppConfig.ready()``: a function ``(user=, start=, end=)`` that
returns the ``CalendarEvent`` the user may see in ``[start, end)``, in a fixed number of queries.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

CalendarSource = Callable[..., Iterable["CalendarEvent"]]

_sources: dict[str, CalendarSource] = {}


@dataclass(frozen=True)
class CalendarEvent:
    """One line of the calendar that is not a meeting (a training session…)."""

    starts_at: dt.datetime
    title: str
    kind_label: str
    url: str
    place: str = ""
    online: bool = False
    participants: int | None = None
    note: str = ""  # e.g. "reportée (prévue le 03/12/2026 09:30)"
    is_event: bool = field(default=True, init=False)  # tells the template it is not a meeting


def register_source(name: str, source: CalendarSource) -> None:
    """Add (or replace, so that a second ``ready()`` is harmless) a source of calendar events."""
    _sources[name] = source


def calendar_events(*, user, start: dt.datetime, end: dt.datetime) -> list[CalendarEvent]:
    """The events of every registered source the user may see between ``start`` and ``end``."""
    events: list[CalendarEvent] = []
    for source in _sources.values():
        events.extend(source(user=user, start=start, end=end))
    return events
