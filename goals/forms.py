"""Forms for goals, their steps, progress and comments, example goals, prompts and the
journal. The rules are the services'; the forms check what they can without the database,
so every mistake shows next to its field at once."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import FocusArea
from programs.forms.time import DateInput

from .models import ExampleGoal, Goal, Reflection, ReflectionPrompt

GOAL_FORM_FIELDS = ["focus_area", "specific", "measure", "baseline", "target", "unit",
                    "relevance", "due_on", "celebrate_in_group"]
NUMBER_ERRORS = {"invalid": _("Enter a number, such as 12 or 7.5."),
                 "max_digits": _("Enter a smaller number."),
                 "max_decimal_places": _("Use at most two decimal places.")}


class GoalForm(forms.ModelForm):
    """What a goal says. The SMART check beside it reads the same fields as they are
    typed (htmx posts the form to `goals:smart-check`)."""

    class Meta:
        model = Goal
        fields = GOAL_FORM_FIELDS
        widgets = {"due_on": DateInput(),
                   "specific": forms.Textarea(attrs={"rows": 3}),
                   "relevance": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"baseline": NUMBER_ERRORS, "target": NUMBER_ERRORS,
                          "due_on": {"invalid": _("Enter a date, such as 2027-03-19."),
                                     "required": _("Choose the date by which you mean to "
                                                   "reach it.")},
                          "specific": {"required": _("Say what the goal is.")},
                          "measure": {"required": _("Say how you will measure it.")}}

    def __init__(self, *args, program, owner=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        if not owner:
            # Whether to celebrate with the group is the owner's choice alone.
            del self.fields["celebrate_in_group"]
        area = self.fields["focus_area"]
        area.queryset = FocusArea.objects.filter(district_id=program.district_id)
        area.empty_label = _("No focus area")
        self.fields["due_on"].help_text = _("A date from %(start)s to %(end)s.") % {
            "start": program.starts_on.isoformat(), "end": program.ends_on.isoformat()}
        for name in ("baseline", "target"):
            self.fields[name].widget.attrs["step"] = "any"

    def _post_clean(self):
        # The goal is saved by a service, which checks the rules that need the program.
        pass

    def goal_fields(self):
        return {name: self.cleaned_data.get(name) for name in GOAL_FORM_FIELDS
                if name in self.fields}


class ExampleGoalForm(forms.ModelForm):
    class Meta:
        model = ExampleGoal
        fields = ["focus_area", "specific", "measure", "baseline", "target", "unit",
                  "relevance"]
        widgets = {"specific": forms.Textarea(attrs={"rows": 2}),
                   "relevance": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"baseline": NUMBER_ERRORS, "target": NUMBER_ERRORS}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, prefix="example", **kwargs)
        area = self.fields["focus_area"]
        area.queryset = FocusArea.objects.filter(district_id=program.district_id)
        area.empty_label = _("No focus area")

    def _post_clean(self):
        pass


class DropForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you dropping this goal?"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say in a few words why you are dropping it.")},
        help_text=_("A few words are enough. The goal stays in your record."))


class AchieveForm(forms.Form):
    celebrate_in_group = forms.BooleanField(
        label=_("Celebrate it with my group"), required=False,
        help_text=_("The members of your groups in this program see it on their home page."))


class ProgressForm(forms.Form):
    value = forms.DecimalField(label=_("Value measured"), max_digits=12, decimal_places=2,
                               error_messages={**NUMBER_ERRORS,
                                               "required": _("Enter the value you measured.")})
    recorded_on = forms.DateField(label=_("Date"), widget=DateInput(),
                                  error_messages={"invalid": _("Enter a date.")})
    note = forms.CharField(label=_("Note"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.FileField(
        label=_("Evidence (optional)"), required=False,
        help_text=_("A PDF, image, office document, text or CSV file; no student names, "
                    "please."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="progress", **kwargs)
        self.fields["value"].widget.attrs["step"] = "any"


class ActionStepForm(forms.Form):
    description = forms.CharField(label=_("Action step"), max_length=300,
                                  error_messages={"required": _("Say what you will do.")})
    due_on = forms.DateField(label=_("Due"), widget=DateInput(),
                             error_messages={"required": _("Choose a date."),
                                             "invalid": _("Enter a date.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="step", **kwargs)


class NextStepToGoalForm(forms.Form):
    goal = forms.ModelChoiceField(label=_("Goal"), queryset=Goal.objects.none(),
                                  empty_label=None)

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["goal"].queryset = goals
        self.fields["goal"].label_from_instance = lambda goal: goal.title


class CommentForm(forms.Form):
    body = forms.CharField(label=_("Comment"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write a comment first.")})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="comment", **kwargs)


class PromptForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ReflectionPrompt.Kind.choices)
    text = forms.CharField(label=_("Prompt"), max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           error_messages={"required": _("Write the prompt.")})
    schedule = forms.BooleanField(label=_("Add it to the schedule"), required=False,
                                  initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="prompt", **kwargs)


CONFIDENCE_CHOICES = [("", _("Not rated")), ("1", _("1: not yet")), ("2", "2"),
                      ("3", "3"), ("4", "4"), ("5", _("5: very confident"))]


class ReflectionForm(forms.Form):
    body = forms.CharField(label=_("Your reflection"), max_length=10_000,
                           widget=forms.Textarea(attrs={"rows": 8}),
                           error_messages={"required": _("Write your reflection first.")})
    confidence = forms.TypedChoiceField(
        label=_("How confident do you feel?"), choices=CONFIDENCE_CHOICES, required=False,
        coerce=int, empty_value=None, widget=forms.RadioSelect,
        help_text=_("Your rating, without your words, counts in the program's average when "
                    "enough people rate."))
    visibility = forms.ChoiceField(label=_("Who can read it"),
                                   choices=Reflection.Visibility.choices,
                                   initial=Reflection.Visibility.PRIVATE,
                                   widget=forms.RadioSelect,
                                   help_text=_("Private entries are never shown to anyone "
                                               "else: not your mentor, not your "
                                               "coordinator, not an administrator."))


class CheckInChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("Check-in of %(day)s") % {"day": obj.scheduled_at.date().isoformat()}


def add_link_choices(form, *, goals=None, checkins=None, sessions=None):
    """Optional selects for what a new entry is about, each from the author's own."""
    if goals is not None:
        form.fields["about_goal"] = forms.ModelChoiceField(
            label=_("About a goal"), queryset=goals, required=False,
            empty_label=_("No goal"))
        form.fields["about_goal"].label_from_instance = lambda goal: goal.title
    if checkins is not None:
        form.fields["about_checkin"] = CheckInChoice(
            label=_("About a check-in"), queryset=checkins, required=False,
            empty_label=_("No check-in"))
    if sessions is not None:
        form.fields["about_session"] = forms.ModelChoiceField(
            label=_("About a group session"), queryset=sessions, required=False,
            empty_label=_("No session"))


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("Reply"), max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"required": _("Write your reply first.")})
