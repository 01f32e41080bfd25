from django import forms
from django.utils.translation import gettext_lazy as _

from .health import DEFAULT_WEEKS


class HealthFilterForm(forms.Form):
    """The window of the program health page: teachers not met or observed in N weeks."""

    weeks = forms.IntegerField(
        label=_("Not met or observed in the last (weeks)"), min_value=1, max_value=52,
        initial=DEFAULT_WEEKS,
        error_messages={"required": _("Choose 1 to 52 weeks."),
                        "min_value": _("Choose 1 to 52 weeks."),
                        "max_value": _("Choose 1 to 52 weeks."),
                        "invalid": _("Enter a whole number of weeks, from 1 to 52.")})

    def weeks_or_default(self):
        return self.cleaned_data["weeks"] if self.is_valid() else DEFAULT_WEEKS
