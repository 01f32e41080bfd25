"""The roster upload form: the format, full or partial, and the file or files.

Files are checked for type (a zip archive of CSV files, or UTF-8 CSV text) and size
(ROSTER_MAX_UPLOAD_MB together) before anything is stored.
"""

import zipfile
from pathlib import PurePath

from django import forms
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from programs.models import RosterImport
from programs.roster.oneroster import OPTIONAL_FILES, REQUIRED_FILES

ONEROSTER_FILES = {name.lower() for name in REQUIRED_FILES + OPTIONAL_FILES}
# A zip may unpack to this many times the upload limit (CSV compresses about tenfold).
UNPACKED_RATIO = 20


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """One or several files; cleans to a list."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".zip,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            if not data:
                return [single(None, initial)]
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class RosterUploadForm(forms.Form):
    FULL, PARTIAL = "full", "partial"

    format = forms.ChoiceField(
        label=gettext_lazy("Format"), choices=RosterImport.Format.choices,
        initial=RosterImport.Format.ONEROSTER, widget=forms.RadioSelect,
    )
    mode = forms.ChoiceField(
        label=gettext_lazy("What the file holds"),
        choices=[
            (FULL, gettext_lazy("Everyone (full import): people with a roster id who are "
                                "missing from the file are marked inactive")),
            (PARTIAL, gettext_lazy("Some people only (partial import): nobody is marked "
                                   "inactive for being missing")),
        ],
        initial=FULL, widget=forms.RadioSelect,
    )
    files = MultipleFileField(label=gettext_lazy("Roster file or files"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _(
            "A OneRoster zip, or its CSV files selected together, or one simple staff CSV; "
            "at most %(size)s MB.") % {"size": settings.ROSTER_MAX_UPLOAD_MB}

    def clean(self):
        cleaned = super().clean()
        files, format = cleaned.get("files"), cleaned.get("format")
        if not files or not format:
            return cleaned
        limit = settings.ROSTER_MAX_UPLOAD_MB * 1024 * 1024
        if sum(f.size for f in files) > limit:
            self.add_error("files", _("The upload is too large: at most %(size)s MB.")
                           % {"size": settings.ROSTER_MAX_UPLOAD_MB})
            return cleaned
        try:
            if format == RosterImport.Format.SIMPLE_CSV:
                self._check_simple(files)
            else:
                self._check_oneroster(files, limit)
        except forms.ValidationError as error:
            self.add_error("files", error)
        return cleaned

    def _check_simple(self, files):
        if len(files) != 1:
            raise forms.ValidationError(_("Upload one CSV file."))
        check_csv(files[0])

    def _check_oneroster(self, files, limit):
        if len(files) == 1 and not files[0].name.lower().endswith(".csv"):
            check_zip(files[0], limit * UNPACKED_RATIO)
            return
        for upload in files:
            name = PurePath(upload.name).name
            if name.lower() not in ONEROSTER_FILES:
                raise forms.ValidationError(_(
                    "%(name)s is not a OneRoster file; choose manifest.csv, orgs.csv, "
                    "users.csv and, if you have them, academicSessions.csv, courses.csv, "
                    "classes.csv and enrollments.csv, or one zip of them."
                ) % {"name": name})
            check_csv(upload)
        names = [PurePath(f.name).name.lower() for f in files]
        if len(set(names)) != len(names):
            raise forms.ValidationError(_("The same file is chosen twice."))


def check_csv(upload):
    """UTF-8 text without NUL bytes (checked on the first 64 KB) in a .csv file."""
    name = PurePath(upload.name).name
    if not name.lower().endswith(".csv"):
        raise forms.ValidationError(_("%(name)s is not a CSV file.") % {"name": name})
    head = upload.read(65536)
    upload.seek(0)
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A character cut at the end of the sample is still text.
        text = error.start >= len(head) - 3
    else:
        text = True
    if not text or b"\x00" in head:
        raise forms.ValidationError(_(
            "%(name)s is not UTF-8 CSV text; save it from your spreadsheet as “CSV UTF-8”."
        ) % {"name": name})


def check_zip(upload, unpacked_limit):
    name = PurePath(upload.name).name
    try:
        with zipfile.ZipFile(upload) as archive:
            members = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError):
        raise forms.ValidationError(_(
            "%(name)s is not a zip archive. Upload the OneRoster export as a zip, or its "
            "CSV files.") % {"name": name}) from None
    finally:
        upload.seek(0)
    if not any(m.filename.lower().endswith(".csv") for m in members):
        raise forms.ValidationError(_("The zip archive holds no CSV files."))
    if sum(m.file_size for m in members) > unpacked_limit:
        raise forms.ValidationError(_("The zip archive unpacks to more than this site "
                                      "accepts."))
