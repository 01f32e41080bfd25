from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import School
from programs.models import Participant

from .models import (
    CHOICE_KINDS,
    SURVEY_ROLES,
    Question,
    QuestionKind,
    Stage,
    Survey,
    SurveyTemplate,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MAX_CHOICES = 20


def role_choices():
    labels = dict(Participant.Role.choices)
    return [(role, labels[role]) for role in SURVEY_ROLES]


class SurveyForm(forms.ModelForm):
    """A survey's settings. Dates may stay empty for the standard stages: they come from
    the program's calendar."""

    audience_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Ask people in these roles"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose at least one role to ask.")})

    class Meta:
        model = Survey
        fields = ["title", "intro", "stage", "opens_on", "closes_on", "audience_roles",
                  "audience_schools", "audience_groups", "anonymous"]
        widgets = {"opens_on": DATE, "closes_on": DATE,
                   "intro": forms.Textarea(attrs={"rows": 3}),
                   "audience_schools": forms.CheckboxSelectMultiple,
                   "audience_groups": forms.CheckboxSelectMultiple}
        help_texts = {"opens_on": gettext_lazy(
            "Leave empty for the baseline, mid-year and end-of-year stages to follow the "
            "program's dates.")}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program
        self.fields["audience_roles"].choices = role_choices()
        self.fields["opens_on"].required = False
        self.fields["closes_on"].required = False
        # The schools the program's people come from, not every school of the district.
        self.fields["audience_schools"].queryset = School.objects.filter(
            district_id=program.district_id,
            pk__in=program.participants.values("school_id")).order_by("name")
        self.fields["audience_groups"].queryset = program.groups.order_by("name")
        if not program.groups.exists():
            del self.fields["audience_groups"]

    def clean(self):
        data = super().clean()
        if data.get("stage") == Stage.CUSTOM:
            for field in ("opens_on", "closes_on"):
                if not data.get(field) and field not in self.errors:
                    self.add_error(field, _("Choose a day: this survey runs on dates you "
                                            "choose."))
        return data

    def service_fields(self):
        data = dict(self.cleaned_data)
        data["schools"] = data.pop("audience_schools", [])
        data["groups"] = data.pop("audience_groups", [])
        return data


class NewSurveyForm(SurveyForm):
    template = forms.ModelChoiceField(
        label=gettext_lazy("Start from"), queryset=SurveyTemplate.objects.all(),
        required=False, empty_label=gettext_lazy("A blank survey"),
        help_text=gettext_lazy("A template brings its questions; you can change them before "
                               "sending."))

    field_order = ["template"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("Leave empty to use the template's title.")
        self.fields["stage"].required = False
        self.fields["audience_roles"].required = False
        self.fields["audience_roles"].help_text = _(
            "Leave empty to ask the roles the template asks (mentees for a blank survey).")


class QuestionForm(forms.ModelForm):
    choices_text = forms.CharField(
        label=gettext_lazy("Choices or labels"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy(
            "One a line. Choices: the options (at least two). Agreement 1 to 5: five labels, "
            "or leave empty for Strongly disagree to Strongly agree. Scale 0 to 10: the "
            "labels of both ends, or leave empty."))

    class Meta:
        model = Question
        fields = ["kind", "text", "help_text", "required"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["choices_text"] = "\n".join(self.instance.choices)

    def clean(self):
        data = super().clean()
        lines = [line.strip() for line in (data.get("choices_text") or "").splitlines()]
        lines = list(dict.fromkeys(line for line in lines if line))
        kind = data.get("kind")
        if any(len(line) > 200 for line in lines):
            self.add_error("choices_text", _("Keep each line to 200 characters."))
        if kind in CHOICE_KINDS and not 2 <= len(lines) <= MAX_CHOICES:
            self.add_error("choices_text", _(
                "Give between 2 and %(most)s choices, one a line.") % {"most": MAX_CHOICES})
        elif kind == QuestionKind.LIKERT and len(lines) not in (0, 5):
            self.add_error("choices_text", _(
                "Give five labels, one a line, or leave empty for the usual ones."))
        elif kind == QuestionKind.SCALE and len(lines) not in (0, 2):
            self.add_error("choices_text", _(
                "Give two labels (for 0 and for 10), one a line, or leave empty."))
        elif kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT) and lines:
            self.add_error("choices_text", _("A text question has no choices: leave this "
                                             "empty."))
        data["choices"] = lines
        return data

    def service_fields(self):
        data = {name: self.cleaned_data[name]
                for name in ("kind", "text", "help_text", "required", "choices")}
        return data


class AnswerForm(forms.Form):
    """The questions of a survey, as one form; required questions are refused next to the
    field when left empty."""

    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = list(questions)
        for question in self.questions:
            self.fields[f"q{question.pk}"] = self.field_for(question)

    @staticmethod
    def field_for(question):
        common = {"label": question.text, "required": question.required,
                  "help_text": question.help_text,
                  "error_messages": {"required": _("Please answer this question.")}}
        if question.is_number:
            choices = [(value, f"{value} {label}".strip() if question.kind == QuestionKind.SCALE
                        else f"{value}: {label}") for value, label in question.scale()]
            return forms.TypedChoiceField(choices=choices, coerce=int,
                                          widget=forms.RadioSelect, **common)
        if question.kind == QuestionKind.SINGLE:
            return forms.ChoiceField(choices=[(c, c) for c in question.choices],
                                     widget=forms.RadioSelect, **common)
        if question.kind == QuestionKind.MULTIPLE:
            return forms.MultipleChoiceField(choices=[(c, c) for c in question.choices],
                                             widget=forms.CheckboxSelectMultiple, **common)
        if question.kind == QuestionKind.SHORT_TEXT:
            return forms.CharField(max_length=300, **common)
        return forms.CharField(max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
                               **common)

    def answers(self):
        return {question.pk: self.cleaned_data.get(f"q{question.pk}")
                for question in self.questions}


class ResultsFilterForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("Role"), required=False)
    school = forms.TypedChoiceField(label=gettext_lazy("School"), required=False, coerce=int,
                                    empty_value=None)
    group = forms.TypedChoiceField(label=gettext_lazy("Group"), required=False, coerce=int,
                                   empty_value=None)
    by = forms.ChoiceField(label=gettext_lazy("Break down by"), required=False, choices=[
        ("school", gettext_lazy("School")), ("role", gettext_lazy("Role")),
        ("group", gettext_lazy("Group"))])

    def __init__(self, *args, roles, schools, groups, **kwargs):
        super().__init__(*args, **kwargs)
        everyone = [("", _("Everyone"))]
        self.fields["role"].choices = everyone + roles
        self.fields["school"].choices = everyone + schools
        self.fields["group"].choices = everyone + groups

    def filters(self):
        if not self.is_valid():
            return {}
        return {name: self.cleaned_data[name] for name in ("role", "school", "group")
                if self.cleaned_data.get(name) not in (None, "")}
