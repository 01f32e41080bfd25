from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Pairing, RematchRequest


class PairingFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=100)
    show = forms.ChoiceField(label=_("Show"), required=False, choices=[
        ("open", _("Active and paused")), ("overdue", _("Check-in overdue")),
        ("rematch", _("Rematch requested")), ("ended", _("Ended")), ("all", _("All"))])

    def __init__(self, *args, coordinator, **kwargs):
        super().__init__(*args, **kwargs)
        if not coordinator:
            # Requests are the coordinators' to read.
            self.fields["show"].choices = [c for c in self.fields["show"].choices
                                           if c[0] != "rematch"]

    def value(self, name, default):
        """The cleaned value, or the default when the filter cannot be read."""
        if not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default


class PairingStatusForm(forms.Form):
    action = forms.ChoiceField(label=_("Change"), choices=[
        ("pause", _("Pause the pairing")), ("resume", _("Resume the pairing")),
        ("end", _("End the pairing"))], widget=forms.RadioSelect)
    reason = forms.ChoiceField(label=_("Why it ends"), required=False,
                               choices=[("", "---------"), *Pairing.EndReason.choices])
    note = forms.CharField(label=_("Note for the record"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, pairing, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            # The pairing may have changed since the page was opened: the service says so
            # in its own words rather than "not a valid choice".
            return
        allowed = {"end"} | ({"pause"} if pairing.status == Pairing.Status.ACTIVE else
                             {"resume"})
        self.fields["action"].choices = [c for c in self.fields["action"].choices
                                         if c[0] in allowed]

    def clean(self):
        data = super().clean()
        if data.get("action") == "end" and not data.get("reason"):
            self.add_error("reason", _("Choose why the pairing ends."))
        return data


class RematchRequestForm(forms.ModelForm):
    class Meta:
        model = RematchRequest
        fields = ["reason"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"reason": _("Only the program's coordinators read this; your partner "
                                  "does not see it.")}


class RematchAnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect, choices=[
        ("rematch", _("End this pairing and match again")),
        ("keep", _("Keep the pairing"))])
    answer = forms.CharField(label=_("Answer to the person who asked"), max_length=4000,
                             widget=forms.Textarea(attrs={"rows": 3}))
