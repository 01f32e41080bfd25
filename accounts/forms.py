from django import forms
from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models import (
    District,
    FocusArea,
    Grade,
    Invitation,
    Language,
    School,
    StaffProfile,
    User,
    time_zone_choices,
)
from .permissions import invitable_roles


class SignupDetailsForm(forms.Form):
    """The fields allauth's sign-up form adds to email and password."""

    display_name = forms.CharField(
        label=_("Your name"), max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("As colleagues know you, for example “Ms. Rivera” or “Ana Rivera”."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language for pages and email"), choices=settings.LANGUAGES,
        initial=settings.LANGUAGE_CODE,
    )

    def signup(self, request, user):
        """allauth's hook; the adapter saves these fields with the account in one write."""


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "display_name", "role", "school", "language"]
        labels = {"display_name": _("Name (optional)")}

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district_id = inviter.district_id
        self.fields["role"].choices = [(r.value, r.label) for r in invitable_roles(inviter)]
        self.fields["school"].queryset = School.objects.managed_by(inviter)
        self.fields["school"].required = False
        self.fields["school"].help_text = _("Required except for district administrators.")
        district = inviter.district
        self.fields["language"].choices = [
            ("", _("The district’s language (%(language)s)")
             % {"language": district.get_language_display() if district else ""}),
            *settings.LANGUAGES]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") != Invitation.Role.DISTRICT_ADMIN and not cleaned.get("school"):
            self.add_error("school", _("Choose the school this person works at."))
        return cleaned


class AccountSettingsForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["display_name", "preferred_language"]


class StaffProfileForm(forms.ModelForm):
    grades_taught = forms.MultipleChoiceField(
        label=_("Grades taught"), choices=Grade.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"), choices=Language.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = StaffProfile
        # The school is set by invitations, admins and roster sync: it decides which school
        # admin sees a person, so nobody moves themselves.
        fields = ["job_title", "years_of_experience", "grades_taught", "subjects",
                  "languages", "expertise"]
        widgets = {
            "subjects": forms.CheckboxSelectMultiple,
            "expertise": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = district.subjects.all()
        self.fields["expertise"].queryset = FocusArea.objects.filter(district=district)


class DistrictSettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices,
                                  help_text=District._meta.get_field("time_zone").help_text)

    class Meta:
        model = District
        fields = ["name", "time_zone", "anonymity_threshold", "language"]

    def clean_name(self):
        # The name goes into email subjects and page titles: one line of text.
        name = self.cleaned_data["name"]
        if any(ord(character) < 32 for character in name):
            raise forms.ValidationError(_("Write the name on one line, without tabs."))
        return name.strip()


class PeopleFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or email"), required=False, max_length=100)
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(),
                                    required=False, empty_label=_("All schools"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.managed_by(user)


class AccessLogFilterForm(forms.Form):
    q = forms.CharField(label=_("Reader or owner (name or email)"), required=False,
                        max_length=100)
    since = forms.DateField(label=_("From"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False,
                            widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def filter(self, records):
        """The records this filter keeps; none when the filter cannot be read."""
        if not self.is_bound:
            return records
        if not self.is_valid():
            return records.none()
        data = self.cleaned_data
        if q := data["q"]:
            records = records.filter(
                Q(reader__display_name__icontains=q) | Q(reader__email__icontains=q)
                | Q(owner__display_name__icontains=q) | Q(owner__email__icontains=q))
        if data["since"]:
            records = records.filter(read_at__date__gte=data["since"])
        if data["until"]:
            records = records.filter(read_at__date__lte=data["until"])
        return records


class FocusAreaForm(forms.ModelForm):
    """A focus area of the district: a new one, or a new name for one already in use (the
    goals, profiles and resources tagged with it follow the new name)."""

    class Meta:
        model = FocusArea
        fields = ["name"]

    def __init__(self, *args, district, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.district = district

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise forms.ValidationError(_("Write a name."))
        taken = FocusArea.objects.filter(district=self.instance.district, name__iexact=name)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(_("The district already has a focus area of this name."))
        return name
