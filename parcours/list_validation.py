"""Validation of the rows of a commune's newcomer list, before anything is stored.

Each row gets its cleaned values and, per column, a French error (blocking) or warning (shown, not
blocking). A list is accepted only when no row has an error. The same checks serve the web form, the
file upload and the API.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from accompagnement.choices import ResidenceCard, Sex
from accompagnement.models import STATELESS, PostalCode
from accompagnement.numbers import check_national_number, consistency_errors
from accompagnement.text import fold
from cai.exports import FORMULA_PREFIXES

from .list_files import COLUMN_LABELS

PHONE_RE = re.compile(r"^\+?[0-9 ./()-]{6,20}$")
DATE_PATTERNS = [
    (re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})$"), ("d", "m", "y")),
    (re.compile(r"^(\d{4})-(\d{2})-(\d{2})$"), ("y", "m", "d")),
]
MAX_LENGTHS = {
    "last_name": 100,
    "first_name": 100,
    "street": 150,
    "house_number": 15,
    "locality": 100,
    "language": 100,
    "phone": 30,
    "email": 254,
    "nationality": 60,
    "residence_card": 40,
}
REQUIRED = ("last_name", "first_name", "birth_date", "sex", "nationality", "registration_date")
SEX_VALUES = {
    "m": Sex.MALE,
    "h": Sex.MALE,
    "homme": Sex.MALE,
    "masculin": Sex.MALE,
    "male": Sex.MALE,
    "f": Sex.FEMALE,
    "femme": Sex.FEMALE,
    "feminin": Sex.FEMALE,
    "female": Sex.FEMALE,
    "v": Sex.FEMALE,
    "x": Sex.OTHER,
    "autre": Sex.OTHER,
}
STATELESS_NAMES = {"apatride", "stateless", "apatridie", "xx", "xxa"}


def _country_index() -> dict[str, str]:
    index = {}
    for code, name in countries:
        index[fold(str(name))] = code
        index[code.lower()] = code
    for code in list(dict(countries)):
        alpha3 = countries.alpha3(code)
        if alpha3:
            index[alpha3.lower()] = code
    return index


def _card_index() -> dict[str, str]:
    index = {}
    for value, label in ResidenceCard.choices:
        index[fold(value)] = value
        index[fold(f"carte {value}")] = value
        index[fold(str(label))] = value
    index.update(
        {
            "e plus": "E+",
            "f plus": "F+",
            "carte e plus": "E+",
            "carte f plus": "F+",
            "orange": "orange",
            "carte orange": "orange",
            "attestation d immatriculation": "orange",
            "annexe 15": "annexe15",
            "autre": "other",
        }
    )
    return index


@dataclass
class RowResult:
    number: int  # 1-based data row (the header is row 0)
    raw: dict
    values: dict = field(default_factory=dict)
    errors: dict = field(default_factory=dict)  # column -> message
    warnings: dict = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors


def parse_date(text: str) -> dt.date | None:
    for pattern, order in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            parts = dict(zip(order, (int(g) for g in match.groups()), strict=True))
            try:
                return dt.date(parts["y"], parts["m"], parts["d"])
            except ValueError:
                return None
    return None


class RowValidator:
    """Validates rows for one commune. Build once per list (it loads the reference tables once)."""

    def __init__(self, commune, *, today: dt.date | None = None):
        self.commune = commune
        self.today = today or timezone.localdate()
        self.countries = _country_index()
        self.cards = _card_index()
        self.postal_codes = {}
        for code, commune_id in PostalCode.objects.values_list("code", "commune_id"):
            self.postal_codes.setdefault(code, set()).add(commune_id)

    def validate_rows(self, rows: list[dict]) -> list[RowResult]:
        results = [self.validate(index, row) for index, row in enumerate(rows, start=1)]
        self._flag_duplicates(results)
        return results

    def validate(self, number: int, raw: dict) -> RowResult:
        result = RowResult(number=number, raw=raw)
        cells = {key: str(value if value is not None else "").strip() for key, value in raw.items()}
        for key, text in cells.items():
            if (
                key in COLUMN_LABELS
                and text.startswith(FORMULA_PREFIXES)
                and not (key == "phone" and PHONE_RE.match(text))
            ):
                result.errors[key] = _(
                    "Valeur refusée : elle commence par « %(char)s » (risque de formule)."
                ) % {"char": text[0]}
            elif key in MAX_LENGTHS and len(text) > MAX_LENGTHS[key]:
                result.errors[key] = _("Texte trop long (%(max)s caractères au plus).") % {
                    "max": MAX_LENGTHS[key]
                }
        for key in REQUIRED:
            if not cells.get(key) and key not in result.errors:
                result.errors[key] = _("Champ obligatoire.")
        values = result.values
        for key in ("last_name", "first_name", "street", "house_number", "locality", "language", "phone"):
            if key not in result.errors:
                values[key] = cells.get(key, "")
        self._dates(cells, result)
        self._sex(cells, result)
        self._nationality(cells, result)
        self._number(cells, result)
        self._postal_code(cells, result)
        self._card(cells, result)
        self._email(cells, result)
        return result

    def _dates(self, cells, result):
        for key in ("birth_date", "registration_date", "residence_ordered_on"):
            text = cells.get(key, "")
            if not text or key in result.errors:
                continue
            day = parse_date(text)
            if day is None:
                result.errors[key] = _("Date illisible : écrivez-la jj/mm/aaaa.")
            elif day > self.today:
                result.errors[key] = _("La date ne peut pas être dans le futur.")
            elif day.year < 1900:
                result.errors[key] = _("Date invraisemblable.")
            else:
                result.values[key] = day
        birth, registration = result.values.get("birth_date"), result.values.get("registration_date")
        if birth and registration and registration < birth:
            result.errors["registration_date"] = _("L'inscription ne peut précéder la naissance.")

    def _sex(self, cells, result):
        text = cells.get("sex", "")
        if text and "sex" not in result.errors:
            value = SEX_VALUES.get(fold(text))
            if value is None:
                result.errors["sex"] = _("Sexe non reconnu : M, F ou X.")
            else:
                result.values["sex"] = value

    def _nationality(self, cells, result):
        text = cells.get("nationality", "")
        if not text or "nationality" in result.errors:
            return
        folded = fold(text)
        code = STATELESS if folded in STATELESS_NAMES else self.countries.get(folded)
        if code is None:
            result.errors["nationality"] = _("Nationalité inconnue : « %(value)s ».") % {"value": text}
        else:
            result.values["nationality"] = code

    def _number(self, cells, result):
        text = cells.get("national_number", "")
        if not text or "national_number" in result.errors:
            return
        try:
            checked = check_national_number(text)
        except ValidationError as error:
            result.errors["national_number"] = error.messages[0]
            return
        problems = consistency_errors(
            checked, birth_date=result.values.get("birth_date"), sex=result.values.get("sex")
        )
        if problems:
            result.errors["national_number"] = problems["national_number"]
        else:
            result.values["national_number"] = checked.number

    def _postal_code(self, cells, result):
        text = cells.get("postal_code", "")
        if not text or "postal_code" in result.errors:
            return
        if not re.fullmatch(r"\d{4}", text):
            result.errors["postal_code"] = _("Le code postal belge compte 4 chiffres.")
            return
        owners = self.postal_codes.get(text, set())
        if self.commune.pk in owners:
            result.values["postal_code"] = text
        elif owners:
            result.errors["postal_code"] = _(
                "Le code postal %(code)s appartient à une autre commune que %(commune)s."
            ) % {"code": text, "commune": self.commune.name}
        else:
            result.values["postal_code"] = text
            result.warnings["postal_code"] = _(
                "Code postal %(code)s inconnu pour %(commune)s : à vérifier."
            ) % {"code": text, "commune": self.commune.name}

    def _card(self, cells, result):
        text = cells.get("residence_card", "")
        if not text or "residence_card" in result.errors:
            return
        value = self.cards.get(fold(text))
        if value is None:
            result.errors["residence_card"] = _(
                "Type de carte non reconnu (A, B, C, D, E, E+, F, F+, H, K, L, M, carte orange, annexe 15)."
            )
        else:
            result.values["residence_card"] = value

    def _email(self, cells, result):
        text = cells.get("email", "")
        if not text or "email" in result.errors:
            return
        try:
            validate_email(text)
        except ValidationError:
            result.errors["email"] = _("Adresse e-mail invalide.")
        else:
            result.values["email"] = text

    def _flag_duplicates(self, results: list[RowResult]) -> None:
        """The same person twice in one list (same number, or same name and birth date)."""
        seen_numbers, seen_names = {}, {}
        for result in results:
            number = result.values.get("national_number")
            if number:
                if number in seen_numbers:
                    result.errors.setdefault(
                        "national_number",
                        _("Doublon : même numéro qu'à la ligne %(line)s.") % {"line": seen_numbers[number]},
                    )
                else:
                    seen_numbers[number] = result.number
            key = (
                fold(result.values.get("last_name", "")),
                fold(result.values.get("first_name", "")),
                result.values.get("birth_date"),
            )
            if all(key):
                if key in seen_names:
                    result.errors.setdefault(
                        "last_name",
                        _("Doublon : même personne qu'à la ligne %(line)s.") % {"line": seen_names[key]},
                    )
                else:
                    seen_names[key] = result.number


def error_lines(results: list[RowResult]) -> list[str]:
    """Every error as "Ligne N, colonne X : message" (for API answers and e-mails)."""
    return [
        _("Ligne %(line)s, colonne « %(column)s » : %(message)s")
        % {"line": r.number, "column": COLUMN_LABELS.get(column, column), "message": message}
        for r in results
        for column, message in r.errors.items()
    ]
