"""Each person's choices: which reminders, immediate or in a daily digest, quiet hours."""

from django import forms
from django.utils.translation import gettext_lazy as _

IMMEDIATE, DIGEST = "immediate", "digest"
TIME_ERRORS = {"invalid": _("Enter a time such as 18:30.")}


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%H:%M")


class PreferencesForm(forms.Form):
    """One on/off field per kind a person may turn off, one delivery choice per kind that
    may wait for the digest, and quiet hours (both ends or neither)."""

    quiet_from = forms.TimeField(label=_("Quiet from"), required=False, widget=TimeInput(),
                                 error_messages=TIME_ERRORS)
    quiet_until = forms.TimeField(label=_("Quiet until"), required=False, widget=TimeInput(),
                                  error_messages=TIME_ERRORS)

    def __init__(self, *args, kinds, current, quiet=None, **kwargs):
        initial = {"quiet_from": quiet[0] if quiet else None,
                   "quiet_until": quiet[1] if quiet else None}
        for kind in kinds:
            enabled, digest = current.get(kind.name, (True, False))
            initial[f"{kind.name}-on"] = enabled
            initial[f"{kind.name}-delivery"] = DIGEST if digest else IMMEDIATE
        super().__init__(*args, initial=initial, **kwargs)
        self.kinds = kinds
        self.rows = []
        for kind in kinds:
            row = {"kind": kind, "on": None, "delivery": None}
            if kind.optional:
                self.fields[f"{kind.name}-on"] = forms.BooleanField(
                    label=_("Send me these"), required=False)
                row["on"] = f"{kind.name}-on"
            if kind.digestible:
                self.fields[f"{kind.name}-delivery"] = forms.ChoiceField(
                    label=_("How"), widget=forms.RadioSelect,
                    choices=[(IMMEDIATE, _("As they come")),
                             (DIGEST, _("In one email a day"))],
                    error_messages={"required": _("Choose how these arrive."),
                                    "invalid_choice": _("Choose how these arrive.")})
                row["delivery"] = f"{kind.name}-delivery"
            self.rows.append(row)

    def bound_rows(self):
        return [{"kind": row["kind"],
                 "on": self[row["on"]] if row["on"] else None,
                 "delivery": self[row["delivery"]] if row["delivery"] else None}
                for row in self.rows]

    def clean(self):
        data = super().clean()
        start, end = data.get("quiet_from"), data.get("quiet_until")
        if start and not end and "quiet_until" not in self.errors:
            self.add_error("quiet_until", _("Say when the quiet hours end, or clear both."))
        elif end and not start and "quiet_from" not in self.errors:
            self.add_error("quiet_from", _("Say when the quiet hours begin, or clear both."))
        elif start and end and start == end:
            self.add_error("quiet_until", _("The quiet hours must end at another time than "
                                            "they begin."))
        return data

    def choices(self):
        data = self.cleaned_data
        return {kind.name: (data.get(f"{kind.name}-on", True) if kind.optional else True,
                            data.get(f"{kind.name}-delivery") == DIGEST)
                for kind in self.kinds}

    def quiet(self):
        start, end = self.cleaned_data.get("quiet_from"), self.cleaned_data.get("quiet_until")
        return (start, end) if start and end else None
