"""Belgian national register (NN) and BIS numbers, checked with python-stdnum."""

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.be import bis, nn
from stdnum.exceptions import ValidationError as StdnumError

from .choices import NumberKind, Sex


@dataclass(frozen=True)
class CheckedNumber:
    number: str  # 11 digits
    kind: str  # NumberKind
    birth_date: dt.date | None
    sex: str | None  # "M", "F" or None when the number does not tell


def check_national_number(raw: str) -> CheckedNumber:
    """Validate a NN or BIS number and return it normalised, with what it says of birth and sex.

    Raises ``ValidationError`` with a French message.
    """
    digits = nn.compact(raw or "")
    if not digits.isdigit() or len(digits) != 11:
        raise ValidationError(_("Le numéro national doit compter 11 chiffres."), code="format")
    for module, kind in ((nn, NumberKind.NATIONAL_REGISTER), (bis, NumberKind.BIS)):
        try:
            number = module.validate(digits)
        except StdnumError:
            continue
        return CheckedNumber(
            number=number, kind=kind, birth_date=_birth_date(module, number), sex=_sex(module, number)
        )
    raise ValidationError(
        _("Ce numéro national ou BIS n'est pas valide (chiffres de contrôle incorrects)."), code="checksum"
    )


def _birth_date(module, number):
    try:
        return module.get_birth_date(number)
    except (StdnumError, ValueError):
        return None


def _sex(module, number):
    try:
        value = module.get_gender(number)
    except (StdnumError, ValueError):
        return None
    return {"M": Sex.MALE, "F": Sex.FEMALE}.get(value)


def consistency_errors(checked: CheckedNumber, *, birth_date, sex) -> dict[str, str]:
    """Field errors when the number contradicts the birth date or the sex given beside it."""
    errors = {}
    if checked.birth_date and birth_date and checked.birth_date != birth_date:
        errors["national_number"] = _(
            "Le numéro national ne correspond pas à la date de naissance (%(date)s)."
        ) % {"date": checked.birth_date.strftime("%d/%m/%Y")}
    elif checked.sex and sex in (Sex.MALE, Sex.FEMALE) and checked.sex != sex:
        errors["national_number"] = _("Le numéro national ne correspond pas au sexe indiqué.")
    return errors
