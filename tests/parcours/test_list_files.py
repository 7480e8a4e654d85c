"""The corpus of bad newcomer-list files: each is refused with a French message, or read with the
faulty row and column flagged. Files are built here, byte for byte, as communes' software and
spreadsheets produce them."""

import io
import zipfile

import pytest
from openpyxl import Workbook

from parcours.list_files import MAX_ROWS, ListFileError, parse_list_file, template_csv, template_xlsx
from parcours.list_validation import RowValidator, error_lines
from tests.factories import commune

pytestmark = pytest.mark.django_db

HEADER = "Nom;Prénom;Date de naissance;Sexe;Nationalité;Numéro national;Rue;Numéro;Code postal;Localité;Date d'inscription;Type de carte de séjour;Date de délivrance ordonnée du titre;Langue parlée;Téléphone;E-mail"
GOOD = "HADDAD;Yara;30/07/1985;M;Syrie;85.07.30-033.28;Rue de Fer;12;5000;Namur;03/02/2026;B;15/01/2026;arabe;+32 470 12 34 56;"
GOOD2 = "DIALLO;Amina;02/01/1990;F;Guinée;;Rue Godefroid;5;5000;Namur;10/03/2026;A;01/03/2026;peul;;amina@example.org"


def csv_bytes(*lines, encoding="utf-8", sep=";", bom=False):
    text = "\r\n".join(line.replace(";", sep) for line in lines) + "\r\n"
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows):
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_with_macro():
    data = io.BytesIO(xlsx_bytes([HEADER.split(";"), GOOD.split(";")]))
    out = io.BytesIO()
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        target.writestr("xl/vbaProject.bin", b"\x00" * 64)
    return out.getvalue()


def zip_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"a" * (60 * 1024 * 1024) + b">")
    return out.getvalue()


def xlsx_with_many_entries():
    """A real workbook padded with thousands of tiny parts (each small: only the count gives it away)."""
    data = io.BytesIO(xlsx_bytes([HEADER.split(";"), GOOD.split(";")]))
    out = io.BytesIO()
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for number in range(5000):
            target.writestr(f"xl/media/part{number}.xml", b"<a/>")
    return out.getvalue()


def rows_csv(count):
    return csv_bytes(
        HEADER, *[GOOD.replace("HADDAD", f"HADDAD{i}").replace("85.07.30-033.28", "") for i in range(count)]
    )


# Files refused whole: (id, file name, bytes, words expected in the message)
REFUSED = [
    ("empty-file", "liste.csv", b"", "vide"),
    ("only-blank-lines", "liste.csv", b"\r\n\r\n  \r\n", "vide"),
    ("only-headers", "liste.csv", csv_bytes(HEADER), "en-tête"),
    ("missing-required-columns", "liste.csv", csv_bytes("Nom;Prénom", "HADDAD;Yara"), "Date de naissance"),
    (
        "missing-nationality-column",
        "liste.csv",
        csv_bytes("Nom;Prénom;Date de naissance", "HADDAD;Yara;30/07/1985"),
        "Nationalité",
    ),
    (
        "duplicated-column",
        "liste.csv",
        csv_bytes("Nom;Nom;Prénom;Date de naissance;Nationalité", "A;B;C;01/01/1990;Syrie"),
        "deux fois",
    ),
    ("over-the-row-limit", "liste.csv", rows_csv(MAX_ROWS + 5), "lignes"),
    ("oversized-file", "liste.csv", b"Nom;Pr\xc3\xa9nom\r\n" + b"x" * (4 * 1024 * 1024), "Mo"),
    ("xlsx-with-macros", "liste.xlsm", xlsx_with_macro(), "macros"),
    ("xlsx-zip-bomb", "liste.xlsx", zip_bomb(), "volumineux"),
    ("xlsx-with-thousands-of-entries", "liste.xlsx", xlsx_with_many_entries(), "éléments"),
    ("not-a-zip-named-xlsx", "liste.xlsx", b"PK\x03\x04 this is not a zip", "endommagé"),
    (
        "zip-without-sheet",
        "liste.xlsx",
        (
            lambda: (lambda b: (zipfile.ZipFile(b, "w").writestr("a.txt", "x"), b.getvalue())[1])(
                io.BytesIO()
            )
        )(),
        "feuille",
    ),
    ("binary-file", "liste.csv", b"\x00\x01\x02\x03" * 100, "texte"),
    ("pdf-instead-of-csv", "liste.pdf", b"%PDF-1.7 ...", "Format"),
    ("xlsx-only-headers", "liste.xlsx", xlsx_bytes([HEADER.split(";")]), "en-tête"),
    ("unknown-headers-only", "liste.csv", csv_bytes("Colonne1;Colonne2", "a;b"), "obligatoires"),
]

# Files read, with faulty cells flagged: (id, bytes, row number, column, words expected)
FLAGGED = [
    (
        "windows-1252-accents-read",
        csv_bytes(HEADER, GOOD.replace("Yara", "Zoé").replace("Syrie", "Égypte"), encoding="cp1252"),
        None,
        None,
        None,
    ),
    ("utf8-bom-read", csv_bytes(HEADER, GOOD, bom=True), None, None, None),
    (
        "comma-separated-read",
        csv_bytes(HEADER, GOOD.replace("+32 470 12 34 56", "0470123456"), sep=","),
        None,
        None,
        None,
    ),
    (
        "formula-equals",
        csv_bytes(HEADER, GOOD.replace("HADDAD", '=HYPERLINK("http://x")')),
        1,
        "last_name",
        "formule",
    ),
    ("formula-plus", csv_bytes(HEADER, GOOD.replace("Yara", "+cmd")), 1, "first_name", "formule"),
    ("formula-minus", csv_bytes(HEADER, GOOD.replace("Rue de Fer", "-2+3")), 1, "street", "formule"),
    ("formula-at", csv_bytes(HEADER, GOOD.replace("arabe", "@SUM(A1)")), 1, "language", "formule"),
    (
        "invalid-number-checksum",
        csv_bytes(HEADER, GOOD.replace("85.07.30-033.28", "85.07.30-033.29")),
        1,
        "national_number",
        "contrôle",
    ),
    (
        "number-of-someone-else",
        csv_bytes(HEADER, GOOD2, GOOD.replace("30/07/1985", "30/07/1986")),
        2,
        "national_number",
        "date de naissance",
    ),
    ("number-sex-swapped", csv_bytes(HEADER, GOOD.replace(";M;", ";F;")), 1, "national_number", "sexe"),
    (
        "future-birth-date",
        csv_bytes(HEADER, GOOD2.replace("02/01/1990", "02/01/2999")),
        1,
        "birth_date",
        "futur",
    ),
    (
        "future-registration",
        csv_bytes(HEADER, GOOD.replace("03/02/2026", "03/02/2999")),
        1,
        "registration_date",
        "futur",
    ),
    (
        "unreadable-date",
        csv_bytes(HEADER, GOOD2.replace("02/01/1990", "31/02/1990")),
        1,
        "birth_date",
        "illisible",
    ),
    (
        "unknown-nationality",
        csv_bytes(HEADER, GOOD2.replace("Guinée", "Atlantide")),
        1,
        "nationality",
        "inconnue",
    ),
    ("missing-last-name", csv_bytes(HEADER, GOOD2.replace("DIALLO", "")), 1, "last_name", "obligatoire"),
    ("missing-sex", csv_bytes(HEADER, GOOD2.replace(";F;", ";;")), 1, "sex", "obligatoire"),
    (
        "postal-code-of-another-commune",
        csv_bytes(HEADER, GOOD2.replace(";5000;", ";5500;")),
        1,
        "postal_code",
        "autre commune",
    ),
    (
        "postal-code-not-4-digits",
        csv_bytes(HEADER, GOOD2.replace(";5000;", ";500;")),
        1,
        "postal_code",
        "4 chiffres",
    ),
    ("unknown-card", csv_bytes(HEADER, GOOD2.replace(";A;", ";Z;")), 1, "residence_card", "non reconnu"),
    ("bad-email", csv_bytes(HEADER, GOOD2.replace("amina@example.org", "amina@")), 1, "email", "e-mail"),
    ("duplicated-rows", csv_bytes(HEADER, GOOD2, GOOD, GOOD2), 3, "last_name", "Doublon"),
    (
        "duplicated-number",
        csv_bytes(HEADER, GOOD, GOOD.replace("HADDAD", "HADAD")),
        2,
        "national_number",
        "Doublon",
    ),
    (
        "oversized-text",
        csv_bytes(HEADER, GOOD2.replace("Rue Godefroid", "R" * 400)),
        1,
        "street",
        "trop long",
    ),
    (
        "registration-before-birth",
        csv_bytes(HEADER, GOOD2.replace("10/03/2026", "10/03/1980")),
        1,
        "registration_date",
        "naissance",
    ),
    (
        "xlsx-with-formula-text",
        xlsx_bytes([HEADER.split(";"), ["=1+1", *GOOD2.split(";")[1:]]]),
        1,
        "last_name",
        "formule",
    ),
]


@pytest.mark.parametrize(("name", "content", "words"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_bad_file_is_refused_whole_with_a_french_message(name, content, words):
    with pytest.raises(ListFileError) as error:
        parse_list_file(name, content)
    assert words.lower() in str(error.value).lower()


@pytest.mark.parametrize(
    ("content", "row", "column", "words"), [c[1:] for c in FLAGGED], ids=[c[0] for c in FLAGGED]
)
def test_bad_cells_are_flagged_by_row_and_column(content, row, column, words):
    name = "liste.xlsx" if content[:2] == b"PK" else "liste.csv"
    parsed = parse_list_file(name, content)
    results = RowValidator(commune("Namur")).validate_rows(parsed.rows)
    if row is None:
        assert all(r.is_valid for r in results), error_lines(results)
        return
    faulty = {(r.number, column_key) for r in results for column_key in r.errors}
    assert (row, column) in faulty, error_lines(results)
    assert words.lower() in results[row - 1].errors[column].lower()


def test_the_corpus_has_at_least_30_bad_files():
    assert len(REFUSED) + len([c for c in FLAGGED if c[2] is not None]) >= 30


def test_windows_1252_file_keeps_its_accents():
    parsed = parse_list_file("liste.csv", csv_bytes(HEADER, GOOD.replace("Yara", "Zoé"), encoding="cp1252"))
    assert parsed.rows[0]["first_name"] == "Zoé"


def test_headers_are_matched_leniently():
    content = csv_bytes(
        "NOM DE FAMILLE;prenom;Né le;genre;NATIONALITE;NISS", "DIALLO;Amina;02/01/1990;F;Guinée;"
    )
    parsed = parse_list_file("liste.csv", content)
    assert parsed.columns == [
        "last_name",
        "first_name",
        "birth_date",
        "sex",
        "nationality",
        "national_number",
    ]


def test_stateless_and_iso_codes_are_understood():
    content = csv_bytes(
        "Nom;Prénom;Date de naissance;Sexe;Nationalité;Date d'inscription",
        "A;B;01/01/1990;F;apatride;01/01/2026",
        "C;D;01/01/1990;M;SYR;01/01/2026",
    )
    results = RowValidator(commune("Namur")).validate_rows(parse_list_file("l.csv", content).rows)
    assert [r.values["nationality"] for r in results] == ["XX", "SY"]


def test_unknown_postal_code_of_the_province_is_a_warning_not_an_error():
    results = RowValidator(commune("Namur")).validate_rows(
        parse_list_file("l.csv", csv_bytes(HEADER, GOOD2.replace(";5000;", ";5100;"))).rows
    )
    assert results[0].is_valid and "postal_code" in results[0].warnings


def test_templates_are_read_back_with_every_column():
    for name, content in (("modele.csv", template_csv()), ("modele.xlsx", template_xlsx())):
        if name.endswith("xlsx"):
            with pytest.raises(ListFileError):  # the XLSX template has headers only
                parse_list_file(name, content)
        else:
            parsed = parse_list_file(name, content)
            assert len(parsed.columns) == 16
            assert RowValidator(commune("Namur")).validate_rows(parsed.rows)[0].is_valid


def test_xlsx_is_parsed_with_defusedxml():
    """openpyxl parses the uploaded workbooks' XML with defusedxml when it is installed: no entity
    expansion ("billion laughs"), no external entities."""
    import defusedxml
    from openpyxl.xml import DEFUSEDXML

    assert defusedxml.__version__
    assert DEFUSEDXML is True
