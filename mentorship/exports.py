"""CSV exports, streamed row by row so a district-sized list costs no memory."""

import csv

from django.http import StreamingHttpResponse
from django.utils.text import slugify

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Keep a spreadsheet from running a name or a note as a formula; numbers stay numbers,
    anything else is written as its text."""
    if value is None:
        return ""
    if isinstance(value, int | float):
        return value
    text = str(value)
    return f"'{text}" if text[:1] in FORMULA_STARTS else text


class _Echo:
    def write(self, value):
        return value


def csv_response(name, header, rows):
    """A CSV download named after `name`; `rows` is any iterable of lists, read lazily."""
    writer = csv.writer(_Echo())

    def lines():
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slugify(name) or "export"}.csv"'
    return response
