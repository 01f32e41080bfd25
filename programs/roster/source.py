"""Where a roster's CSV files come from (a zip, a directory, one CSV file), read as streams.

Nothing here reads a whole file into memory: a zip member or a file is opened when a reader
asks for it and decoded row by row.
"""

import csv
import io
import zipfile
from contextlib import contextmanager
from pathlib import Path, PurePosixPath

from django.utils.translation import gettext as _

# A row of a roster may hold long lists (orgSourcedIds, grades); csv's default is 128 KB.
csv.field_size_limit(8 * 1024 * 1024)


class SourceError(Exception):
    """The upload cannot be read at all (not a zip, not text)."""


class RosterSource:
    """The CSV files of one roster, by lower-case base name ("users.csv")."""

    def names(self) -> set[str]:
        raise NotImplementedError

    def _open_binary(self, name):
        raise NotImplementedError

    def has(self, name):
        return name in self.names()

    @contextmanager
    def open_text(self, name):
        with self._open_binary(name) as raw:
            # utf-8-sig: spreadsheet programs put a byte-order mark first.
            stream = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            try:
                yield stream
            finally:
                stream.detach()

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


class ZipSource(RosterSource):
    """A zip archive; the CSV files may sit in a folder inside it."""

    def __init__(self, fileobj):
        try:
            self.archive = zipfile.ZipFile(fileobj)
        except (zipfile.BadZipFile, OSError, ValueError):
            raise SourceError(_("The file is not a zip archive.")) from None
        self.members = {}
        for info in self.archive.infolist():
            path = PurePosixPath(info.filename)
            if info.is_dir() or "__MACOSX" in path.parts or path.name.startswith("."):
                continue
            self.members.setdefault(path.name.lower(), info)

    def names(self):
        return set(self.members)

    def _open_binary(self, name):
        return self.archive.open(self.members[name])

    def close(self):
        self.archive.close()


class DirectorySource(RosterSource):
    def __init__(self, path):
        self.files = {p.name.lower(): p for p in Path(path).iterdir() if p.is_file()}

    def names(self):
        return set(self.files)

    def _open_binary(self, name):
        return open(self.files[name], "rb")  # closed by open_text


class SingleFileSource(RosterSource):
    """One CSV file (the simple staff CSV), from an open binary file object."""

    NAME = "staff.csv"

    def __init__(self, fileobj, label=None):
        self.fileobj = fileobj
        self.label = label or self.NAME

    def names(self):
        return {self.NAME}

    @contextmanager
    def _open_binary(self, name):
        self.fileobj.seek(0)
        yield self.fileobj


class Table:
    """One CSV file read row by row, with its columns found by name (case-insensitive)."""

    def __init__(self, name, reader, header):
        self.name = name
        self.reader = reader
        self.columns = {col.strip().lower(): i for i, col in reversed(list(enumerate(header)))}

    def has(self, column):
        return column.lower() in self.columns

    def getter(self, column):
        """A fast function row -> the stripped value of this column ("" when absent)."""
        index = self.columns.get(column.lower())
        if index is None:
            return lambda row: ""

        def get(row):
            return row[index].strip() if index < len(row) else ""

        return get

    def __iter__(self):
        """(line number, row) for every non-blank row."""
        reader = self.reader
        for row in reader:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            yield reader.line_num, row


@contextmanager
def open_table(source, name, problems, required=(), label=None):
    """Open one CSV file as a Table, or yield None after naming why it cannot be read.

    Decoding and CSV syntax errors met while the caller iterates are reported too, and end
    the reading of that file.
    """
    label = label or name
    with source.open_text(name) as stream:
        reader = csv.reader(stream)
        try:
            header = next(reader, None)
        except (UnicodeDecodeError, csv.Error) as error:
            problems.add(label, None, "", describe_read_error(error))
            yield None
            return
        if not header:
            problems.add(label, None, "", _("The file is empty."))
            yield None
            return
        table = Table(label, reader, header)
        missing = [col for col in required if not table.has(col)]
        for col in missing:
            problems.add(label, 1, col, _("This required column is missing."))
        if missing:
            yield None
            return
        try:
            yield table
        except (UnicodeDecodeError, csv.Error) as error:
            problems.add(label, reader.line_num or None, "", describe_read_error(error))


def describe_read_error(error):
    if isinstance(error, UnicodeDecodeError):
        return _("The file is not UTF-8 text; save it as “CSV UTF-8” and upload it again.")
    return _("The file is not valid CSV: %(error)s") % {"error": error}
