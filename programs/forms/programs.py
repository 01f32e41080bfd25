from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from accounts.models import School

from ..models import BlackoutPeriod, ObservationWindow, Program, Term, Weekday
from ..presets import DESCRIPTIONS, PRESET_FIELDS, ProgramModel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ProgramModelForm(forms.Form):
    """First step: the model, whose preset fills in the settings of the second step."""

    model = forms.ChoiceField(label=_("Program model"), widget=forms.RadioSelect,
                              choices=[(m.value, f"{m.label}: {DESCRIPTIONS[m]}")
                                       for m in ProgramModel])


class ProgramForm(forms.ModelForm):
    meeting_days = forms.TypedMultipleChoiceField(
        label=_("Usual meeting days"), choices=Weekday.choices, coerce=int, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Program
        fields = ["name", "model", "school", "aims", "school_goals", "school_year",
                  "starts_on", "ends_on", "meeting_days", *PRESET_FIELDS,
                  "anonymity_threshold"]
        widgets = {"starts_on": DATE, "ends_on": DATE, "model": forms.HiddenInput,
                   "aims": forms.Textarea(attrs={"rows": 3}),
                   "school_goals": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district_id = user.district_id
        if self.instance.pk:
            # The model stays what it was; its settings are what the coordinator adjusts.
            del self.fields["model"]
        if self.instance.pk and not user.is_district_admin:
            # Only a district admin moves a program between a school and the district.
            del self.fields["school"]
        else:
            self.fields["school"].queryset = School.objects.managed_by(user)
            if not user.is_district_admin:
                self.fields["school"].required = True
                self.fields["school"].help_text = _("The school this program runs in.")


class ProgramFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *Program.Status.choices])
    model = forms.ChoiceField(label=_("Program model"), required=False,
                              choices=[("", _("Any model")), *ProgramModel.choices])

    def filter(self, programs):
        if not self.is_valid():
            return programs
        data = self.cleaned_data
        if data["q"]:
            programs = programs.filter(name__icontains=data["q"])
        for field in ("status", "model"):
            if data[field]:
                programs = programs.filter(**{field: data[field]})
        return programs


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=Program.Status.choices)


class CopyProgramForm(forms.Form):
    name = forms.CharField(label=_("Name of the new program"), max_length=200)
    school_year = forms.CharField(label=_("School year"), max_length=20)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE,
                                help_text=_("Terms, windows and blackout days move by the "
                                            "same number of days."))

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_starts_on(self):
        starts_on = self.cleaned_data["starts_on"]
        program = self.program
        if not program.starts_on < starts_on <= program.starts_on + Program.MAX_LENGTH:
            raise ValidationError(_(
                "Choose a start after %(start)s and within three years of it.")
                % {"start": program.starts_on})
        if (program.ends_on + (starts_on - program.starts_on)).year > Program.LAST_YEAR:
            raise ValidationError(_("The copy would end after %(year)s.")
                                  % {"year": Program.LAST_YEAR})
        return starts_on


class CalendarRowForm(forms.ModelForm):
    """A row of the calendar: its dates must fall inside the program, in order."""

    range_fields = ("starts_on", "ends_on")

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean(self):
        cleaned = super().clean()
        start_field, end_field = self.range_fields
        start, end = cleaned.get(start_field), cleaned.get(end_field)
        if start and end and end < start:
            self.add_error(end_field, _("This must not be before the first day."))
        for field, day in ((start_field, start), (end_field, end)):
            if day and not self.program.starts_on <= day <= self.program.ends_on:
                self.add_error(field, _("Choose a date inside the program "
                                        "(%(start)s to %(end)s).") % {
                    "start": self.program.starts_on, "end": self.program.ends_on})
        return cleaned


class TermForm(CalendarRowForm):
    class Meta:
        model = Term
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class ObservationWindowForm(CalendarRowForm):
    range_fields = ("opens_on", "closes_on")

    class Meta:
        model = ObservationWindow
        fields = ["name", "opens_on", "closes_on"]
        widgets = {"opens_on": DATE, "closes_on": DATE}


class BlackoutForm(CalendarRowForm):
    class Meta:
        model = BlackoutPeriod
        fields = ["name", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}


class TermFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        rows = sorted(
            ((form.cleaned_data["starts_on"], form.cleaned_data["ends_on"], form)
             for form in self.forms
            if form.has_changed() or form.instance.pk
             if not form.cleaned_data.get("DELETE") and form.cleaned_data.get("starts_on")
             and form.cleaned_data.get("ends_on")),
            key=lambda row: row[:2],
        )
        for (_s, end, _f), (start, _e, later) in zip(rows, rows[1:], strict=False):
            if start <= end:
                later.add_error("starts_on", _("Terms must not overlap; this term starts "
                                               "before the previous one ends."))


def calendar_formsets(program, data=None):
    """The three lists of the calendar, each with two empty rows to add to."""
    kinds = [("terms", Term, TermForm, TermFormSet),
             ("windows", ObservationWindow, ObservationWindowForm, forms.BaseInlineFormSet),
             ("blackouts", BlackoutPeriod, BlackoutForm, forms.BaseInlineFormSet)]
    return {
        prefix: forms.inlineformset_factory(
            Program, model, form=form, formset=formset, extra=2, can_delete=True,
        )(data, instance=program, prefix=prefix, form_kwargs={"program": program})
        for prefix, model, form, formset in kinds
    }
