"""Reading the newcomer lists communes send as files: CSV (comma or semicolon; UTF-8 with or
without BOM, or Windows-1252 as Belgian spreadsheets save it) and XLSX.

Everything here is defensive: size and row limits, XLSX files checked as ZIP archives before
opening (no macros, no zip bomb), headers matched leniently (accents, case, common synonyms).
The result is a list of raw rows (dicts of canonical keys to strings) or a ``ListFileError`` with a
French message. Row-level validation is in ``list_validation``.
"""

import csv
import io
import zipfile
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from accompagnement.text import fold

MAX_FILE_BYTES = 3 * 1024 * 1024
MAX_ROWS = 5000
MAX_XLSX_UNCOMPRESSED = 40 * 1024 * 1024
MAX_XLSX_RATIO = 100
MAX_XLSX_ENTRIES = 250  # a workbook saved by Excel or LibreOffice holds a few dozen parts

# Canonical columns, in template order, with their French header and accepted synonyms (folded).
COLUMNS = [
    ("last_name", "Nom", ["nom de famille", "last name", "surname", "naam", "achternaam"]),
    ("first_name", "Prénom", ["prenoms", "first name", "given name", "voornaam"]),
    (
        "birth_date",
        "Date de naissance",
        ["naissance", "ne le", "nee le", "date naissance", "birth date", "geboortedatum"],
    ),
    ("sex", "Sexe", ["genre", "gender", "geslacht", "m f"]),
    ("nationality", "Nationalité", ["nationalite", "nationality", "pays", "nationaliteit"]),
    (
        "national_number",
        "Numéro national",
        [
            "numero national",
            "niss",
            "nn",
            "registre national",
            "numero de registre national",
            "numero bis",
            "n national",
            "rijksregisternummer",
        ],
    ),
    ("street", "Rue", ["adresse", "rue et numero", "street", "straat"]),
    ("house_number", "Numéro", ["n", "no", "num", "numero de maison", "boite", "huisnummer"]),
    ("postal_code", "Code postal", ["cp", "code postal", "postcode", "zip"]),
    ("locality", "Localité", ["localite", "ville", "section", "commune", "gemeente"]),
    (
        "registration_date",
        "Date d'inscription",
        [
            "date d inscription",
            "inscription",
            "inscrit le",
            "date inscription commune",
            "date d inscription dans la commune",
        ],
    ),
    (
        "residence_card",
        "Type de carte de séjour",
        ["type de carte", "carte", "titre de sejour", "type de titre", "carte de sejour"],
    ),
    (
        "residence_ordered_on",
        "Date de délivrance ordonnée du titre",
        [
            "date de delivrance",
            "titre delivre le",
            "date de delivrance du titre",
            "date d ordre",
            "date de la decision",
        ],
    ),
    ("language", "Langue parlée", ["langue", "langues", "language", "taal"]),
    ("phone", "Téléphone", ["telephone", "tel", "gsm", "phone", "telefoon"]),
    ("email", "E-mail", ["email", "e mail", "courriel", "adresse e mail", "mail"]),
]
REQUIRED_COLUMNS = {"last_name", "first_name", "birth_date", "nationality"}
COLUMN_LABELS = {key: label for key, label, _syn in COLUMNS}


def _header_index() -> dict[str, str]:
    index = {}
    for key, label, synonyms in COLUMNS:
        for name in [label, key.replace("_", " "), *synonyms]:
            index.setdefault(fold(name), key)
    return index


HEADER_INDEX = _header_index()


class ListFileError(Exception):
    """A file that cannot be read as a list at all (the message is French and says what to do)."""


@dataclass
class ParsedFile:
    rows: list[dict[str, str]]
    columns: list[str]  # canonical keys found, in file order
    ignored_headers: list[str] = field(default_factory=list)


def match_header(header: str) -> str | None:
    return HEADER_INDEX.get(fold(header or ""))


def parse_list_file(name: str, content: bytes) -> ParsedFile:
    """Read an uploaded file into raw rows. Raises ``ListFileError``."""
    if not content:
        raise ListFileError(_("Le fichier est vide."))
    if len(content) > MAX_FILE_BYTES:
        raise ListFileError(
            _("Le fichier dépasse %(max)s Mo : scindez la liste en plusieurs envois.")
            % {"max": MAX_FILE_BYTES // (1024 * 1024)}
        )
    lowered = (name or "").lower()
    if content[:2] == b"PK" or lowered.endswith((".xlsx", ".xlsm")):
        table = _read_xlsx(content)
    elif lowered.endswith((".csv", ".txt")) or not lowered:
        table = _read_csv(content)
    else:
        raise ListFileError(_("Format non reconnu : envoyez un fichier CSV ou XLSX (modèle téléchargeable)."))
    return _to_rows(table)


def decode_text(content: bytes) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _read_csv(content: bytes) -> list[list[str]]:
    if b"\x00" in content[:4096] and not content.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ListFileError(_("Ce fichier n'est pas un fichier texte CSV."))
    try:
        text = decode_text(content)
    except UnicodeDecodeError as error:
        raise ListFileError(
            _("L'encodage du fichier n'est pas reconnu : enregistrez-le en CSV UTF-8.")
        ) from error
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") and ";" in first_line else ","
    if "\t" in first_line and first_line.count("\t") > max(first_line.count(";"), first_line.count(",")):
        delimiter = "\t"
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    table = []
    try:
        for line in reader:
            table.append(line)
            if len(table) > MAX_ROWS + 1:
                break
    except csv.Error as error:
        raise ListFileError(
            _("Le fichier CSV est mal formé (ligne %(line)s).") % {"line": reader.line_num}
        ) from error
    return table


def _read_xlsx(content: bytes) -> list[list[str]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except zipfile.BadZipFile as error:
        raise ListFileError(_("Ce fichier XLSX est endommagé ou n'en est pas un.")) from error
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_XLSX_ENTRIES:
            raise ListFileError(_("Ce fichier XLSX contient trop d'éléments : il est refusé."))
        names = {info.filename for info in infos}
        if any(n.lower().endswith("vbaproject.bin") for n in names):
            raise ListFileError(
                _(
                    "Les fichiers contenant des macros sont refusés : enregistrez la liste en XLSX sans macro ou en CSV."
                )
            )
        if "[Content_Types].xml" not in names or not any(n.startswith("xl/worksheets/") for n in names):
            raise ListFileError(_("Ce fichier XLSX ne contient pas de feuille lisible."))
        total = sum(info.file_size for info in infos)
        compressed = sum(info.compress_size for info in infos) or 1
        if total > MAX_XLSX_UNCOMPRESSED or total / compressed > MAX_XLSX_RATIO:
            raise ListFileError(
                _("Ce fichier XLSX est anormalement volumineux une fois décompressé : il est refusé.")
            )
    from openpyxl import load_workbook

    try:
        # data_only=False: a formula reads as its text ("=…") and is then refused as such, never evaluated.
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except Exception as error:  # noqa: BLE001 - openpyxl raises many kinds on a broken file
        raise ListFileError(_("Ce fichier XLSX ne peut pas être lu.")) from error
    try:
        sheet = workbook.worksheets[0]
        table = []
        for row in sheet.iter_rows(values_only=True):
            table.append([_cell_text(value) for value in row])
            if len(table) > MAX_ROWS + 1:
                break
    finally:
        workbook.close()
    return table


def _cell_text(value) -> str:
    import datetime as dt

    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _to_rows(table: list[list[str]]) -> ParsedFile:
    table = [row for row in table if any((cell or "").strip() for cell in row)]
    if not table:
        raise ListFileError(_("Le fichier est vide."))
    header = table[0]
    keys, ignored = [], []
    for cell in header:
        key = match_header(cell)
        if key and key in keys:
            raise ListFileError(_("La colonne « %(name)s » apparaît deux fois.") % {"name": cell})
        keys.append(key)
        if key is None and (cell or "").strip():
            ignored.append(cell.strip())
    missing = REQUIRED_COLUMNS - set(keys)
    if missing:
        labels = ", ".join(COLUMN_LABELS[key] for key, _l, _s in COLUMNS if key in missing)
        raise ListFileError(
            _("Colonnes obligatoires absentes : %(columns)s. Utilisez le modèle téléchargeable.")
            % {"columns": labels}
        )
    body = table[1:]
    if not body:
        raise ListFileError(
            _("Le fichier ne contient que la ligne d'en-tête : aucune personne à transmettre.")
        )
    if len(body) > MAX_ROWS:
        raise ListFileError(
            _("Le fichier compte plus de %(max)s lignes : scindez la liste en plusieurs envois.")
            % {"max": MAX_ROWS}
        )
    rows = []
    for line in body:
        row = {}
        for index, key in enumerate(keys):
            if key is None:
                continue
            row[key] = (line[index] if index < len(line) else "").strip()
        rows.append(row)
    return ParsedFile(rows=rows, columns=[k for k in keys if k], ignored_headers=ignored)


def template_csv() -> bytes:
    """The downloadable CSV template (UTF-8 with BOM, semicolon: what Excel in Belgium opens cleanly)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([label for _k, label, _s in COLUMNS])
    writer.writerow(
        [
            "EXEMPLE",
            "Amina",
            "17/05/1990",
            "F",
            "Syrie",
            "90.05.17-022.35",
            "Rue de Fer",
            "12",
            "5000",
            "Namur",
            "03/02/2026",
            "A",
            "15/01/2026",
            "arabe",
            "+32 470 12 34 56",
            "",
        ]
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def template_xlsx() -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Primo-arrivants"
    sheet.append([label for _k, label, _s in COLUMNS])
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
