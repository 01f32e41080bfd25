from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User

from .. import engine
from ..models import Exclusion, MatchingRun

CRITERION_HELP = {
    engine.Criterion.GRADE_BAND: _("Both teach in the same band: early (PK-2), elementary "
                                   "(3-5), middle (6-8) or high school (9-12)."),
    engine.Criterion.SUBJECT: _("Both teach a subject in common."),
    engine.Criterion.SCHOOL: _("Same school, or different schools: see below."),
    engine.Criterion.LANGUAGE: _("They share a language."),
    engine.Criterion.EXPERTISE: _("The mentor's expertise covers the mentee's focus areas "
                                  "(in part counts in part)."),
    engine.Criterion.EXPERIENCE: _("The mentor has more years of teaching; full marks from "
                                   "five years more (peers: a similar number of years)."),
    engine.Criterion.AVAILABILITY: _("They are free on the same days and at the same times."),
    engine.Criterion.PREFERENCE: _("The mentee named this mentor in their application."),
    engine.Criterion.NEW_PARTNER: _("They have not been paired before."),
}


class MatchingSettingsForm(forms.Form):
    """A weight from 0 (ignored) to 10 for each criterion, and the two directions."""

    prefer_same_school = forms.TypedChoiceField(
        label=_("School criterion rewards"), coerce=lambda v: v == "same",
        choices=[("same", _("pairs in the same school")),
                 ("different", _("pairs from different schools"))],
        widget=forms.RadioSelect)
    reverse = forms.BooleanField(
        label=_("Reverse mentoring: the less experienced teacher mentors"), required=False)

    def __init__(self, *args, matching, **kwargs):
        initial = {"prefer_same_school": "same" if matching.prefer_same_school else "different",
                   "reverse": matching.reverse}
        for criterion in engine.Criterion:
            initial[criterion.value] = matching.weight_of(criterion)
        super().__init__(*args, initial=initial, **kwargs)
        weights = {}
        for criterion in engine.Criterion:
            weights[criterion.value] = forms.IntegerField(
                label=criterion.label, min_value=0, max_value=10,
                help_text=CRITERION_HELP[criterion],
                error_messages={"min_value": _("Use a weight from 0 to 10."),
                                "max_value": _("Use a weight from 0 to 10."),
                                "required": _("Give a weight from 0 (ignored) to 10.")},
                widget=forms.NumberInput(attrs={"inputmode": "numeric"}))
        self.fields = {**weights, **self.fields}

    def weights(self):
        return {c.value: self.cleaned_data[c.value] for c in engine.Criterion}


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ExclusionForm(forms.ModelForm):
    person = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    other = PersonChoiceField(label=_("Never paired with"), queryset=User.objects.none())

    class Meta:
        model = Exclusion
        fields = ["person", "other", "reason", "note"]

    def __init__(self, *args, people, **kwargs):
        """`people`: the participants the matcher works with."""
        super().__init__(*args, **kwargs)
        people = User.objects.filter(pk__in=people.current().values("user_id")).order_by(
            "display_name", "pk")
        self.fields["person"].queryset = people
        self.fields["other"].queryset = people
        self.fields["reason"].help_text = _(
            "A mentor never works with a teacher they evaluate. The reason is seen only by "
            "those who match.")

    def _post_clean(self):
        # Saved in id order by the service, which also checks the pair.
        pass


class RunForm(forms.Form):
    kind = forms.ChoiceField(label=_("What to match"), choices=MatchingRun.Kind.choices)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, MatchingRun.Kind(k).label) for k in kinds]
        self.fields["kind"].initial = kinds[0]
        if len(kinds) == 1:
            self.fields["kind"].widget = forms.HiddenInput()


# Ids fit a 64-bit column on every database (SQLite refuses larger integers outright).
MAX_ID = 2**62


class ChooseMentorForm(forms.Form):
    mentor = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)


class SwapForm(forms.Form):
    proposal = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=MAX_ID)
    other = forms.IntegerField(label=_("Swap with"), widget=forms.HiddenInput, min_value=1,
                               max_value=MAX_ID)


class LockForm(forms.Form):
    locked = forms.BooleanField(required=False)


class ReturnForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput, min_value=1,
                                     max_value=MAX_ID)
