"""Opening a roster from a path or an uploaded file, in either format."""

from pathlib import Path

from django.utils.translation import gettext as _

from .oneroster import OneRosterReader
from .simple_csv import SimpleCsvReader
from .source import DirectorySource, SingleFileSource, SourceError, ZipSource

ONEROSTER, SIMPLE_CSV = "oneroster", "simple_csv"
READERS = {ONEROSTER: OneRosterReader, SIMPLE_CSV: SimpleCsvReader}


def guess_format(path):
    """A directory or zip holds a OneRoster set; a CSV file is the simple staff CSV."""
    path = Path(path)
    return SIMPLE_CSV if path.is_file() and path.suffix.lower() == ".csv" else ONEROSTER


def source_for_path(path, format):
    path = Path(path)
    if path.is_dir():
        if format != ONEROSTER:
            raise SourceError(_("A directory holds a OneRoster set; choose that format."))
        return DirectorySource(path)
    if not path.is_file():
        raise SourceError(_("%(path)s does not exist.") % {"path": path})
    return source_for_file(open(path, "rb"), path.name, format)  # closed with the source


def source_for_file(fileobj, name, format):
    """A source over an open binary file: a zip of OneRoster CSVs, or one CSV file."""
    if format == ONEROSTER:
        try:
            return _Owning(ZipSource(fileobj), fileobj)
        except SourceError:
            fileobj.close()
            raise
    return _Owning(SingleFileSource(fileobj, label=Path(name).name), fileobj)


def reader_for(format, source, *, full_sync):
    return READERS[format](source, full_sync=full_sync)


class _Owning:
    """A source that closes the file under it when it is closed."""

    def __init__(self, source, fileobj):
        self.source, self.fileobj = source, fileobj

    def __getattr__(self, name):
        return getattr(self.source, name)

    def close(self):
        self.source.close()
        self.fileobj.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
