"""Reading PDFs back in tests (poppler's pdftotext keeps every accent)."""

import subprocess


def pdf_text(content: bytes, *, layout: bool = True) -> str:
    """The text of a PDF; hyphenation breaks are joined so that words can be asserted whole."""
    command = ["pdftotext", *(["-layout"] if layout else []), "-", "-"]
    result = subprocess.run(command, input=content, capture_output=True, check=True)  # noqa: S603, S607
    return result.stdout.decode("utf-8").replace("‐\n", "")
