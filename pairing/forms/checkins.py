"""Scheduling a check-in, recording it, and the next steps agreed at it. The rules (school
days, one recording, who may own a next step) are the check-in services'; the forms check
what they can without the database, so that every mistake shows at once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.forms.groups import DateTimeLocalInput
from programs.forms.time import DateInput

from ..models import CheckIn
from ..services.checkins import (
    MINUTES_NEEDED,
    NO_TIME_WHEN_MISSED,
    STRENGTH_NEEDED,
    VIDEO_LINK_NEEDED,
    due_inside_program,
)


class CheckInForm(forms.ModelForm):
    """When, how long and how the pair meets; the time is the district's local time."""

    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), initial=30, min_value=5, max_value=240,
        error_messages={"min_value": _("A check-in lasts at least 5 minutes."),
                        "max_value": _("A check-in lasts at most 4 hours (240 minutes).")})
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https",
                               help_text=_("For a video call: the address to join it."))

    class Meta:
        model = CheckIn
        fields = ["scheduled_at", "duration_minutes", "mode", "location", "video_url"]
        widgets = {"scheduled_at": DateTimeLocalInput(), "mode": forms.RadioSelect}
        labels = {"scheduled_at": _("Date and time"), "mode": _("How you meet"),
                  "location": _("Place")}
        help_texts = {"location": _("For a meeting in person: a room or a school.")}

    def __init__(self, *args, zone_name="", **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["scheduled_at"]
        field.input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        field.help_text = _("On a school day of the program, in the district’s time zone "
                            "(%(zone)s).") % {"zone": zone_name}
        self.fields["duration_minutes"].widget.attrs["step"] = 5

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("mode") == CheckIn.Mode.VIDEO and not cleaned.get("video_url")
                and "video_url" not in self.errors):
            self.add_error("video_url", VIDEO_LINK_NEEDED)
        return cleaned

    def _post_clean(self):
        # The check-in is saved by a service, which checks the day against the calendar.
        pass


class RecordForm(forms.Form):
    """How a check-in went. When it was held, the notes open with what is working."""

    OUTCOMES = [("held", _("It was held")), ("missed", _("It was missed"))]

    outcome = forms.ChoiceField(label=_("Did the check-in take place?"), choices=OUTCOMES,
                                initial="held", widget=forms.RadioSelect)
    minutes_spent = forms.IntegerField(
        label=_("Time spent (minutes)"), required=False, min_value=5, max_value=480,
        help_text=_("Required when it was held. It counts as protected time for both of you."),
        error_messages={"min_value": _("Enter at least 5 minutes."),
                        "max_value": _("Enter at most 8 hours (480 minutes).")})
    whats_working = forms.CharField(
        label=_("What is working"), required=False, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when it was held. Strengths first: what went well, what "
                    "to keep doing."))
    topics = forms.CharField(label=_("Topics"), required=False, max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))
    challenges = forms.CharField(label=_("Challenges"), required=False, max_length=4000,
                                 widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, checkin, **kwargs):
        kwargs.setdefault("initial", {"minutes_spent": checkin.duration_minutes})
        super().__init__(*args, **kwargs)
        self.fields["minutes_spent"].widget.attrs["step"] = 5

    @property
    def held(self):
        return self.cleaned_data.get("outcome") == "held"

    def clean(self):
        cleaned = super().clean()
        if self.held:
            if cleaned.get("minutes_spent") is None and "minutes_spent" not in self.errors:
                self.add_error("minutes_spent", MINUTES_NEEDED)
            if not cleaned.get("whats_working", "").strip() and "whats_working" not in self.errors:
                self.add_error("whats_working", STRENGTH_NEEDED)
        elif cleaned.get("outcome") == "missed" and cleaned.get("minutes_spent"):
            self.add_error("minutes_spent", NO_TIME_WHEN_MISSED)
        return cleaned

    def outcome_fields(self):
        return [self["outcome"], self["minutes_spent"]]

    def notes_fields(self):
        return [self["whats_working"], self["topics"], self["challenges"]]

    def service_data(self):
        data = self.cleaned_data
        return {"held": self.held, "minutes_spent": data["minutes_spent"] if self.held else None,
                **{f: data[f] for f in ("topics", "whats_working", "challenges")}}


class NextStepForm(forms.Form):
    """One row of the next steps: what, whose (one of the pair), by when."""

    description = forms.CharField(label=_("Next step"), max_length=300)
    owner = forms.TypedChoiceField(label=_("Who"), coerce=int)
    due_on = forms.DateField(label=_("Due"), widget=DateInput())

    def __init__(self, *args, pairing, **kwargs):
        super().__init__(*args, **kwargs)
        self.pairing = pairing
        # Built from the pairing already loaded: rows cost no query.
        self.fields["owner"].choices = [
            ("", _("Choose who")),
            (pairing.mentor.user_id, _("%(name)s (mentor)") % {
                "name": pairing.mentor.user.display_name}),
            (pairing.mentee.user_id, _("%(name)s (mentee)") % {
                "name": pairing.mentee.user.display_name}),
        ]

    def clean_due_on(self):
        day = self.cleaned_data["due_on"]
        program = self.pairing.program
        if not program.starts_on <= day <= program.ends_on:
            raise forms.ValidationError(due_inside_program(program))
        return day

    def owner_user(self):
        owner_id = self.cleaned_data["owner"]
        return next(p.user for p in (self.pairing.mentor, self.pairing.mentee)
                    if p.user_id == owner_id)


class BaseNextStepFormSet(forms.BaseFormSet):
    def filled(self):
        """The rows that were filled in; empty rows are left out."""
        return [form for form in self.forms if form.has_changed() and form.cleaned_data]


NEXT_STEP_ROWS = 3
NextStepFormSet = forms.formset_factory(NextStepForm, formset=BaseNextStepFormSet,
                                        extra=NEXT_STEP_ROWS, max_num=10, validate_max=True)


def next_step_formset(pairing, data=None):
    return NextStepFormSet(data, prefix="steps", form_kwargs={"pairing": pairing})
