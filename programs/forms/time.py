from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import TimeLog


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class TimeLogForm(forms.ModelForm):
    """Time a participant spent; those who manage the program also choose whose time."""

    person = PersonChoiceField(label=_("Participant"), queryset=None,
                               empty_label=_("Choose a participant"))

    minutes = forms.IntegerField(
        label=_("Minutes"), min_value=5, max_value=12 * 60,
        help_text=_("For example 90 for an hour and a half."),
        error_messages={"min_value": _("Log at least 5 minutes."),
                        "max_value": _("Log at most 12 hours (720 minutes) at a time.")})

    class Meta:
        model = TimeLog
        fields = ["date", "minutes", "kind", "note"]
        widgets = {"date": DateInput()}
        labels = {"kind": _("What the time was for")}
        help_texts = {
            "note": _("Optional: who you worked with, what you did."),
        }

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is None:
            del self.fields["person"]
        else:
            self.fields["person"].queryset = people
            self.order_fields(["person"])
        self.fields["minutes"].widget.attrs.update({"step": 5})

    def _post_clean(self):
        # Saved by the time service, which checks the day against the program.
        pass
