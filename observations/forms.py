"""Forms of the observation pages. The rules are the services'; the forms check what they
can without the database so that every mistake shows at once, next to its field."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.forms.groups import DateTimeLocalInput

from .files import ACCEPT
from .models import ObservationCycle
from .outline import MAX_OUTLINE
from .services.cycles import MAX_NEXT_STEPS, NEXT_STEP_NEEDED, STRENGTHS_FIRST

NOT_OBSERVED = "na"


class StartCycleForm(forms.Form):
    kind = forms.ChoiceField(label=_("What kind of observation?"),
                             choices=ObservationCycle.Kind.choices,
                             initial=ObservationCycle.Kind.MENTOR_OBSERVES,
                             widget=forms.RadioSelect)
    template_version = forms.TypedChoiceField(label=_("Observation template"), coerce=int,
                                              widget=forms.RadioSelect)

    def __init__(self, *args, versions, **kwargs):
        super().__init__(*args, **kwargs)
        self.versions = {v.pk: v for v in versions}
        self.fields["template_version"].choices = [
            (v.pk, _("%(name)s (version %(number)s)") % {"name": v.template.name,
                                                          "number": v.number})
            for v in versions]
        if len(versions) == 1:
            self.fields["template_version"].initial = versions[0].pk

    def clean_template_version(self):
        return self.versions[self.cleaned_data["template_version"]]


class IndicatorChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.domain.name}: {obj.text}"


class PreconferenceForm(forms.Form):
    focus = forms.CharField(
        label=_("Focus"), max_length=2000, required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What the mentee wants feedback on in this lesson."))
    lesson_context = forms.CharField(
        label=_("The lesson"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The class, what comes before and after, what students will do."))
    look_fors = IndicatorChoiceField(label=_("Look-fors"), queryset=None, required=False,
                                     widget=forms.CheckboxSelectMultiple,
                                     help_text=_("Two or three are usually enough."))
    scheduled_at = forms.DateTimeField(
        label=_("Date and time of the observation"), required=False,
        widget=DateTimeLocalInput(), input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), initial=45, min_value=5, max_value=240,
        error_messages={"min_value": _("An observation lasts at least 5 minutes."),
                        "max_value": _("An observation lasts at most 4 hours (240 minutes).")})
    location = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args, cycle, indicators, goals=None, zone_name="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["look_fors"].queryset = indicators
        self.fields["scheduled_at"].help_text = _(
            "On a school day inside an observation window, in the district’s time zone "
            "(%(zone)s).") % {"zone": zone_name} + " " + _(
            "It starts between 06:00 and 20:00 and ends the same day.")
        if goals is not None:
            self.fields["goal"] = forms.ModelChoiceField(
                label=_("The mentee’s goal it serves"), queryset=goals, required=False,
                empty_label=_("No goal"))
            self.order_fields(["focus", "goal"])


class NoteForm(forms.Form):
    text = forms.CharField(label=_("What you see or hear"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Write what you saw or heard.")})
    indicator = forms.ModelChoiceField(label=_("Look-for (optional)"), queryset=None,
                                       required=False, empty_label=_("None"))
    client_id = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)
    noted_at = forms.DateTimeField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, look_fors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = look_fors
        self.fields["indicator"].label_from_instance = lambda obj: obj.text


class RatingsForm(forms.Form):
    """One set of radio buttons per chosen look-for: the template's levels, and "not
    observed" when the template offers it."""

    def __init__(self, *args, look_fors, levels, allows_not_observed, ratings, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(str(level.pk), f"{level.value}. {level.label}") for level in levels]
        if allows_not_observed:
            choices.append((NOT_OBSERVED, _("Not observed")))
        current = {r.indicator_id: r for r in ratings}
        for indicator in look_fors:
            rating = current.get(indicator.pk)
            initial = None
            if rating is not None:
                initial = str(rating.level_id) if rating.level_id else NOT_OBSERVED
            self.fields[f"indicator_{indicator.pk}"] = forms.ChoiceField(
                label=indicator.text, choices=choices, required=False, initial=initial,
                widget=forms.RadioSelect, help_text=indicator.guidance)

    def levels(self):
        """{indicator id: level id or None} for the look-fors given a rating."""
        chosen = {}
        for name, value in self.cleaned_data.items():
            if value:
                chosen[int(name.split("_", 1)[1])] = None if value == NOT_OBSERVED else int(value)
        return chosen


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Photo or document"),
                           widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                           help_text=_("A photo of student work (JPEG, PNG, GIF, WebP) or a "
                                       "PDF. Leave out students’ names and faces."))
    description = forms.CharField(label=_("What it shows"), max_length=300, required=False,
                                  help_text=_("Read aloud to people who cannot see it."))


class DebriefForm(forms.Form):
    strengths = forms.CharField(
        label=_("What is working"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required to share. Strengths first: what went well and why, with "
                    "evidence from the notes."))
    growth_areas = forms.CharField(
        label=_("Areas to grow"), max_length=4000, required=False,
        widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for number in range(1, MAX_NEXT_STEPS + 1):
            self.fields[f"step_{number}"] = forms.CharField(
                label=_("Next step %(number)s") % {"number": number}, max_length=300,
                required=False)

    @property
    def sharing(self):
        return "share" in self.data

    def next_steps(self):
        return [self.cleaned_data.get(f"step_{n}", "") for n in range(1, MAX_NEXT_STEPS + 1)]

    def step_fields(self):
        return [self[f"step_{n}"] for n in range(1, MAX_NEXT_STEPS + 1)]

    def clean(self):
        cleaned = super().clean()
        if self.sharing:
            if not cleaned.get("strengths", "").strip() and "strengths" not in self.errors:
                self.add_error("strengths", STRENGTHS_FIRST)
            if not any(s.strip() for s in self.next_steps()):
                self.add_error("step_1", NEXT_STEP_NEEDED)
        return cleaned


class ShareForm(forms.Form):
    recipient = forms.ModelChoiceField(label=_("Share this cycle with"), queryset=None,
                                       empty_label=_("Choose a person"))

    def __init__(self, *args, audience, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recipient"].queryset = audience
        self.fields["recipient"].label_from_instance = lambda user: user.display_name


class TemplateForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    program = forms.ModelChoiceField(
        label=_("For"), queryset=None, required=False,
        help_text=_("Leave empty to offer it to every program of the district (district "
                    "admins only)."))

    def __init__(self, *args, programs, district_wide, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["program"]
        field.queryset = programs
        field.empty_label = _("The whole district") if district_wide else None
        field.required = not district_wide


class DraftForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=2000, required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))
    outline = forms.CharField(
        label=_("Domains and look-fors"), widget=forms.Textarea(attrs={"rows": 14}),
        max_length=MAX_OUTLINE, error_messages={"max_length": _(
            "Keep the outline to %(limit_value)s characters (it has %(show_value)s).")},
        help_text=_("One line each: “# Domain” for a domain, then “- Look-for | guidance” "
                    "for each look-for below it."))
    levels = forms.CharField(
        label=_("Rating scale"), widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One level a line, the lowest first (two to seven)."))
    allows_not_observed = forms.BooleanField(label=_("Offer “not observed”"), required=False)


class CoverageForm(forms.Form):
    weeks = forms.IntegerField(label=_("Not observed in the last (weeks)"), min_value=1,
                               max_value=52, initial=6,
                               error_messages={"min_value": _("Choose 1 to 52 weeks."),
                                               "max_value": _("Choose 1 to 52 weeks.")})


class ReflectionForm(forms.Form):
    prompt = forms.ModelChoiceField(label=_("Prompt"), queryset=None, required=False,
                                    empty_label=_("No prompt"), widget=forms.RadioSelect)
    body = forms.CharField(label=_("Your reflection"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": _("Write your reflection first.")})
    confidence = forms.TypedChoiceField(
        label=_("How confident do you feel about this now?"), required=False, coerce=int,
        empty_value=None, widget=forms.RadioSelect,
        choices=[(n, str(n)) for n in range(1, 6)],
        help_text=_("1: not yet confident, 5: very confident."))
    visibility = forms.ChoiceField(label=_("Who can read it"), widget=forms.RadioSelect)

    def __init__(self, *args, prompts, visibility_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["prompt"].queryset = prompts
        self.fields["prompt"].label_from_instance = lambda prompt: prompt.text
        self.fields["visibility"].choices = visibility_choices


class ActionStepForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=None,
                                  error_messages={"required": _("Choose a goal."),
                                                  "invalid_choice": _("Choose a goal.")})

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
