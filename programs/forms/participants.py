from django import forms
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import FocusArea, Grade, Language, School, User

from ..models import Application, Participant, TimeOfDay, Weekday
from ..services.participants import Decision, preferred_mentor_choices


class ParticipantFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name or email"), required=False, max_length=100)
    role = forms.ChoiceField(label=_("Role"), required=False,
                             choices=[("", _("All roles")), *Participant.Role.choices])
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status")), *Participant.Status.choices])
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none(),
                                    required=False, empty_label=_("All schools"))

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = School.objects.filter(district_id=program.district_id)

    def filter(self, participants):
        if not self.is_valid():
            return participants
        data = self.cleaned_data
        if data["q"]:
            participants = participants.filter(user__display_name__icontains=data["q"]) | \
                participants.filter(user__email__icontains=data["q"])
        for field in ("role", "status", "school"):
            if data[field]:
                participants = participants.filter(**{field: data[field]})
        return participants


class ParticipantAddForm(forms.Form):
    email = forms.EmailField(label=_("Email address of a person in the district"))
    role = forms.ChoiceField(label=_("Role"), choices=Participant.Role.choices)
    status = forms.ChoiceField(
        label=_("How they join"), widget=forms.RadioSelect, initial=Participant.Status.ACTIVE,
        required=False,
        choices=[(Participant.Status.ACTIVE, _("Add them now")),
                 (Participant.Status.INVITED,
                  _("Invite them: they accept or decline on the program page"))])
    capacity = forms.IntegerField(
        label=_("Mentee capacity"), required=False, min_value=1, max_value=30,
        help_text=_("Mentors only; leave empty for the program's default."))

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.program = program

    def clean_status(self):
        return self.cleaned_data["status"] or Participant.Status.ACTIVE

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        person = User.objects.filter(email__iexact=email, district_id=self.program.district_id,
                                     is_active=True).select_related("staff_profile").first()
        if person is None:
            raise forms.ValidationError(_("Nobody in the district has this email address. "
                                          "Invite them first from the Invitations page."))
        self.person = person
        return email


class InvitationResponseForm(forms.Form):
    participant = forms.IntegerField(widget=forms.HiddenInput)
    accept = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ParticipantEditForm(forms.ModelForm):
    """Take someone out of the program or bring them back. Applications are decided on
    their own page, so that every decision is recorded with its message."""

    STATUS_CHANGES = {
        Participant.Status.ACTIVE: [Participant.Status.ACTIVE, Participant.Status.WITHDRAWN],
        Participant.Status.WITHDRAWN: [Participant.Status.WITHDRAWN, Participant.Status.ACTIVE],
        Participant.Status.INVITED: [Participant.Status.INVITED, Participant.Status.WITHDRAWN],
    }

    class Meta:
        model = Participant
        fields = ["status", "capacity"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = self.STATUS_CHANGES.get(self.instance.status)
        if allowed is None:
            del self.fields["status"]
        else:
            self.fields["status"].choices = [(s.value, s.label) for s in allowed]


class ApplicationForm(forms.ModelForm):
    """An application, filled in beforehand from the teacher's profile."""

    role = forms.ChoiceField(
        label=_("I would like to join as"), widget=forms.RadioSelect,
        choices=[(Participant.Role.MENTEE, _("A mentee: I would like a mentor")),
                 (Participant.Role.MENTOR, _("A mentor: I would like to support a colleague"))])
    grades = forms.MultipleChoiceField(label=_("Grades I teach"), choices=Grade.choices,
                                       required=False, widget=forms.CheckboxSelectMultiple)
    languages = forms.MultipleChoiceField(label=_("Languages I speak"),
                                          choices=Language.choices, required=False,
                                          widget=forms.CheckboxSelectMultiple)
    available_days = forms.TypedMultipleChoiceField(
        label=_("Days I am available"), choices=Weekday.choices[:5], coerce=int,
        required=False, widget=forms.CheckboxSelectMultiple)
    available_times = forms.MultipleChoiceField(
        label=_("Times I am available"), choices=TimeOfDay.choices, required=False,
        widget=forms.CheckboxSelectMultiple)
    preferred_mentors = forms.ModelMultipleChoiceField(
        label=_("Mentors I would like to work with (up to three)"), required=False,
        queryset=Participant.objects.none(), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Application
        fields = ["grades", "subjects", "languages", "years_of_experience", "focus_areas",
                  "available_days", "available_times", "statement"]
        widgets = {"subjects": forms.CheckboxSelectMultiple,
                   "focus_areas": forms.CheckboxSelectMultiple,
                   "statement": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, program, user, **kwargs):
        profile = getattr(user, "staff_profile", None)
        if profile is not None and not kwargs.get("data") and not args:
            kwargs["initial"] = {
                "grades": profile.grades_taught, "languages": profile.languages,
                "years_of_experience": profile.years_of_experience,
                "subjects": list(profile.subjects.all()),
                "focus_areas": list(profile.expertise.all()),
                "role": Participant.Role.MENTEE if profile.years_of_experience < 4
                else Participant.Role.MENTOR,
            }
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = program.district.subjects.all()
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(
            district_id=program.district_id)
        self.fields["focus_areas"].help_text = _(
            "Mentees: the areas you want to grow in. Mentors: the areas you can mentor in.")
        if program.asks_mentor_preferences:
            mentors = preferred_mentor_choices(program).exclude(user=user)
            if profile is not None:
                # Mentors who teach one of the applicant's subjects come first.
                mentors = mentors.annotate(shared_subjects=Count(
                    "user__staff_profile__subjects", distinct=True,
                    filter=Q(user__staff_profile__subjects__in=profile.subjects.all()),
                )).order_by("-shared_subjects", "user__display_name")
            self.fields["preferred_mentors"].queryset = mentors
            self.fields["preferred_mentors"].label_from_instance = (
                lambda p: f"{p.user.display_name}, {p.school}" if p.school
                else p.user.display_name)
        else:
            del self.fields["preferred_mentors"]
        self.order_fields(["role"])

    def clean_preferred_mentors(self):
        mentors = self.cleaned_data["preferred_mentors"]
        if len(mentors) > Application.MAX_PREFERRED_MENTORS:
            raise forms.ValidationError(_("Choose at most three mentors."))
        return mentors

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == Participant.Role.MENTOR and cleaned.get("preferred_mentors"):
            self.add_error("preferred_mentors", _("Only mentees name preferred mentors."))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(Decision.ACCEPT, _("Accept")), (Decision.WAITLIST, _("Put on the waitlist")),
                 (Decision.DECLINE, _("Decline"))])
    message = forms.CharField(
        label=_("Message to the applicant"), required=False, max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when declining; the applicant sees it on the program page."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == Decision.DECLINE and not cleaned.get("message", "").strip():
            self.add_error("message", _("Tell the applicant why, in a sentence or two."))
        return cleaned
