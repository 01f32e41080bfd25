"""Defining a badge, awarding one by hand, revoking an award, and checking an address
against a public badge. The rules are the services'; the forms check what they can at once."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from programs.models import Program

from .models import Badge


class BadgeForm(forms.ModelForm):
    class Meta:
        model = Badge
        fields = ["program", "name", "description", "criteria", "criterion", "threshold",
                  "color", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}),
                   "criteria": forms.Textarea(attrs={"rows": 3}),
                   "criterion": forms.RadioSelect, "color": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district_id = user.district_id
        program = self.fields["program"]
        program.queryset = (Program.objects.managed_by(user)
                            .exclude(status=Program.Status.CLOSED).order_by("name"))
        if user.is_district_admin:
            program.empty_label = _("The whole district")
        else:
            program.required = True
            program.empty_label = None
            program.help_text = _("A program you manage.")
        if self.instance.pk:
            if self.instance.program_id:
                # A badge of a program that has closed since keeps its program.
                program.queryset = Program.objects.filter(
                    Q(pk__in=program.queryset.values("pk")) | Q(pk=self.instance.program_id)
                ).order_by("name")
            if self.instance.awards.exists():
                for name in ("program", "criterion", "threshold"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _(
                        "Fixed: people already hold this badge.")


class BadgeFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=80)
    program = forms.ModelChoiceField(label=_("Program"), queryset=Program.objects.none(),
                                     required=False, empty_label=_("Every program"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["program"].queryset = Program.objects.visible_to(user).order_by("name")

    def value(self, name, default=None):
        if not self.is_valid():
            return default
        return self.cleaned_data.get(name) or default


class AwardForm(forms.Form):
    email = forms.EmailField(label=_("Email address of the person"))
    evidence = forms.CharField(
        label=_("Evidence"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the person did to earn it. They and the badge's coordinators read "
                    "it; it is not part of the public badge."))

    def __init__(self, *args, badge, **kwargs):
        super().__init__(*args, **kwargs)
        self.badge = badge

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        person = User.objects.filter(email__iexact=email, district_id=self.badge.district_id,
                                     is_active=True).first()
        if person is None:
            raise forms.ValidationError(_("No one in your district has this email address."))
        self.recipient = person
        return email


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Why the badge is revoked"), max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The person and the badge's coordinators read it; the public badge only "
                    "says it was revoked."))


class VerifyForm(forms.Form):
    email = forms.EmailField(label=_("Email address"),
                             help_text=_("Checked against this badge only; nothing is kept."))
