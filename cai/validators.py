"""Validators shared by every app."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

EARLIEST_YEAR, LATEST_YEAR = 1900, 2100


def validate_plausible_moment(value) -> None:
    """A date and time a person can mean: between 1900 and 2100.

    Beyond that range a typing error slips through (0281 for 2081), and before 1892 Brussels time had
    a local-mean-time offset (+00:17:30) that no client reads back as a valid ISO 8601 moment."""
    if value is not None and not (EARLIEST_YEAR <= value.year <= LATEST_YEAR):
        raise ValidationError(
            _("Indiquez une date entre %(first)s et %(last)s."),
            code="out_of_range",
            params={"first": EARLIEST_YEAR, "last": LATEST_YEAR},
        )
