from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import FocusArea

from ..models import Attendance, Group, GroupSession, HubPost, Participant


class ParticipantsField(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.user.display_name} ({obj.get_role_display()})"


class GroupForm(forms.ModelForm):
    """A group's details and who is in it; the rules are checked by the group services."""

    leads = ParticipantsField(
        label=_("Lead mentors"), queryset=Participant.objects.none(), required=False,
        help_text=_("Leads run the group's sessions; they are members too."))
    members = ParticipantsField(
        label=_("Members"), queryset=Participant.objects.none(), required=False)

    class Meta:
        model = Group
        fields = ["name", "kind", "focus", "focus_areas"]
        widgets = {"focus_areas": forms.CheckboxSelectMultiple}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        participants = (Participant.objects.filter(program=program).active()
                        .select_related("user").order_by("user__display_name", "role"))
        self.fields["leads"].queryset = participants
        self.fields["members"].queryset = participants
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(
            district_id=program.district_id)
        self.fields["focus_areas"].help_text = _("The district's focus areas this group "
                                                 "works on.")
        if self.instance.pk and not self.is_bound:
            memberships = list(self.instance.memberships.all())
            self.initial["leads"] = [m.participant_id for m in memberships if m.is_lead]
            self.initial["members"] = [m.participant_id for m in memberships if not m.is_lead]

    def _post_clean(self):
        # The group is saved by a service; only the fields are checked here.
        pass


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


class SessionForm(forms.ModelForm):
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), initial=60, min_value=5, max_value=600,
        error_messages={"min_value": _("A session lasts at least 5 minutes."),
                        "max_value": _("A session lasts at most 10 hours (600 minutes).")})
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https",
                               help_text=_("For a session online."))

    class Meta:
        model = GroupSession
        fields = ["kind", "title", "starts_at", "duration_minutes", "location", "video_url",
                  "agenda"]
        widgets = {
            "starts_at": DateTimeLocalInput(),
            "agenda": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "starts_at": _("In the district's time zone."),
            "location": _("A room or a school, if the session meets in person."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_at"].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"]
        self.fields["duration_minutes"].widget.attrs["step"] = 5

    def _post_clean(self):
        # The session is saved by a service, which checks it against the program's calendar.
        pass


class SessionCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"), required=False, max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Shown to the group on the session’s page."),
        error_messages={"max_length": _("Keep the reason to 300 characters.")})


class SessionRecordForm(forms.Form):
    """What was said, opening and closing with what is working, and who came."""

    opening_whats_working = forms.CharField(
        label=_("Opening: what is working"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Each person names something that is working in their classroom."))
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 5}))
    closing_whats_working = forms.CharField(
        label=_("Closing: what is working"), required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the group takes away and will try next."))

    ATTENDANCE_CHOICES = [("", _("Not recorded")), *Attendance.Status.choices]

    def __init__(self, *args, session, attendees, recorded, **kwargs):
        kwargs.setdefault("initial", {
            "opening_whats_working": session.opening_whats_working,
            "notes": session.notes,
            "closing_whats_working": session.closing_whats_working,
        })
        super().__init__(*args, **kwargs)
        self.attendees = list(attendees)
        for participant in self.attendees:
            self.fields[self._name(participant)] = forms.ChoiceField(
                label=participant.user.display_name, choices=self.ATTENDANCE_CHOICES,
                required=False, initial=recorded.get(participant.pk, ""),
                widget=forms.Select(attrs={"class": "form-select"}))

    @staticmethod
    def _name(participant):
        return f"attendance_{participant.pk}"

    def attendance_fields(self):
        return [(participant, self[self._name(participant)]) for participant in self.attendees]

    def notes_fields(self):
        return [self["opening_whats_working"], self["notes"], self["closing_whats_working"]]

    def attendance(self):
        return {p.pk: self.cleaned_data[self._name(p)] for p in self.attendees}


class HubPostForm(forms.ModelForm):
    class Meta:
        model = HubPost
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}
        labels = {"body": _("Start a new discussion")}

    def _post_clean(self):
        pass


class HubReplyForm(HubPostForm):
    class Meta(HubPostForm.Meta):
        widgets = {"body": forms.Textarea(attrs={"rows": 2})}
        labels = {"body": _("Your reply")}

    def __init__(self, *args, post, **kwargs):
        kwargs.setdefault("auto_id", f"id_reply_{post.pk}_%s")
        super().__init__(*args, **kwargs)
        self.fields["body"].label = _("Reply to %(name)s") % {"name": post.author.display_name}


class HubEditForm(HubPostForm):
    class Meta(HubPostForm.Meta):
        widgets = {"body": forms.Textarea(attrs={"rows": 5})}
        labels = {"body": _("Message")}
