import uuid

from django import forms
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import FocusArea, Grade, Subject
from programs.models import Group, Program

from .files import allowed_extensions, max_upload_bytes
from .indicators import labels_of, look_for_choices
from .models import Comment, Resource, ResourceFeedback, ResourceFile, ResourceIndicator
from .services import groups_shareable_by, programs_shareable_by

SCOPE_CHOICES = Resource.Scope.choices


class TagsField(forms.CharField):
    """Keywords typed in one box, separated by commas."""

    def to_python(self, value):
        value = super().to_python(value)
        return [part.strip() for part in value.split(",") if part.strip()]

    def prepare_value(self, value):
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value

    def validate(self, value):
        super().validate(value)
        if len(value) > 15:
            raise forms.ValidationError(_("Use at most 15 tags."))
        if any(len(tag) > 50 for tag in value):
            raise forms.ValidationError(_("Each tag can be at most 50 characters long."))
        if any("\x00" in tag for tag in value):
            raise forms.ValidationError(_("Null characters are not allowed."))


# Long texts have a limit, so that a version's line-by-line comparison stays quick.
TEXT_LIMITS = {"body": 50_000, "rationale": 10_000, "evidence": 10_000}


def _form_field(field, **kwargs):
    """Addresses typed without a scheme are taken as https://; long texts have a limit."""
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    if field.name in TEXT_LIMITS:
        kwargs["max_length"] = TEXT_LIMITS[field.name]
    return field.formfield(**kwargs)


class ResourceForm(forms.ModelForm):
    """The resource's content, tags and design record. Services save it; the form only
    checks the input."""

    grades = forms.MultipleChoiceField(
        label=_("Grades"), choices=Grade.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = TagsField(
        label=_("Tags"), required=False, max_length=800,
        help_text=_("Keywords that help colleagues find it, separated by commas: "
                    "“fractions, exit tickets”."),
    )
    look_fors = forms.MultipleChoiceField(
        label=_("Observation look-fors it helps with"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("From the observation templates your district uses: a mentor who "
                    "observes one of these look-fors will find it suggested."))
    scope = forms.ChoiceField(label=_("Shared with"), choices=SCOPE_CHOICES,
                              initial=Resource.Scope.DISTRICT,
                              help_text=Resource._meta.get_field("scope").help_text)
    program = forms.ModelChoiceField(
        label=_("Program"), required=False, queryset=Program.objects.none(),
        help_text=_("When it is shared with a program: the people taking part in it now."))
    group = forms.ModelChoiceField(
        label=_("Group"), required=False, queryset=Group.objects.none(),
        help_text=_("When it is shared with a group: its members and leads."))

    class Meta:
        model = Resource
        formfield_callback = _form_field
        fields = ["kind", "title", "summary", "url", "body", "subjects", "grades",
                  "focus_areas", "tags", "rationale", "evidence", "scope", "program", "group"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 2}),
            "body": forms.Textarea(attrs={"rows": 14}),
            "rationale": forms.Textarea(attrs={"rows": 4}),
            "evidence": forms.Textarea(attrs={"rows": 4}),
            "subjects": forms.CheckboxSelectMultiple,
            "focus_areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, district, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subjects"].queryset = Subject.objects.filter(district=district)
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(district=district)
        kept = (list(self.instance.indicators.values_list("key", "label"))
                if self.instance.pk else [])
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = list(self.instance.tags.values_list("name", flat=True))
            self.initial["look_fors"] = [str(key) for key, _label in kept]
        self.fields["look_fors"].choices = look_for_choices(user, keep=kept)
        if not self.fields["look_fors"].choices:
            del self.fields["look_fors"]
        # Programs and groups the writer takes part in, and the one the resource is already
        # shared with (a co-author outside it may keep it while editing the text).
        programs = Program.objects.filter(
            Q(pk__in=programs_shareable_by(user).values("pk"))
            | Q(pk=self.instance.program_id or 0)).order_by("name", "pk")
        groups = Group.objects.filter(
            Q(pk__in=groups_shareable_by(user).values("pk"))
            | Q(pk=self.instance.group_id or 0)).select_related("program").order_by(
                "program__name", "name", "pk")
        self.fields["program"].queryset = programs
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda g: f"{g.name} ({g.program.name})"
        offered = {Resource.Scope.PROGRAM: programs.exists(),
                   Resource.Scope.GROUP: groups.exists()}
        self.fields["scope"].choices = [(value, label) for value, label in SCOPE_CHOICES
                                        if offered.get(value, True)]
        if not offered[Resource.Scope.PROGRAM]:
            del self.fields["program"]
        if not offered[Resource.Scope.GROUP]:
            del self.fields["group"]

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        # A program or group is kept only with its own scope (a database rule too).
        if scope != Resource.Scope.PROGRAM:
            data["program"] = None
        elif not data.get("program"):
            self.add_error("program", _("Choose the program to share it with."))
        if scope != Resource.Scope.GROUP:
            data["group"] = None
        elif not data.get("group"):
            self.add_error("group", _("Choose the group to share it with."))
        return data

    def service_arguments(self):
        """The cleaned input, named as the services take it."""
        arguments = {name: self.cleaned_data.get(name) for name in self.Meta.fields}
        if "look_fors" in self.fields:
            labels = labels_of(self.fields["look_fors"].choices)
            arguments["indicators"] = [(key, labels[key])
                                       for key in self.cleaned_data.get("look_fors") or []]
        return arguments


class ResourceEditForm(ResourceForm):
    note = forms.CharField(
        label=_("What did you change?"), required=False, max_length=300,
        help_text=_("A few words for your co-authors, shown in the list of versions."),
    )
    base_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def service_arguments(self):
        return {**super().service_arguments(), "note": self.cleaned_data["note"],
                "base_version": self.cleaned_data["base_version"]}


class CoAuthorForm(forms.Form):
    prefix = "author"  # several forms share the resource page: their ids must not clash

    email = forms.EmailField(
        label=_("Colleague’s email address"),
        help_text=_("Co-authors can edit, add files and publish. They must be in your "
                    "district."),
    )


class CommentForm(forms.ModelForm):
    prefix = "comment"

    class Meta:
        model = Comment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class FeedbackForm(forms.ModelForm):
    prefix = "feedback"

    class Meta:
        model = ResourceFeedback
        fields = ["used_with", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


class FileForm(forms.ModelForm):
    prefix = "file"

    class Meta:
        model = ResourceFile
        fields = ["file", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        types = ", ".join(ext.lstrip(".") for ext in allowed_extensions())
        limit = max_upload_bytes() // (1024 * 1024)
        self.fields["file"].help_text = _(
            "Allowed: %(types)s. At most %(limit)s MB. Anonymise student work before adding "
            "it."
        ) % {"types": types, "limit": limit}
        self.fields["file"].widget.attrs["accept"] = ",".join(allowed_extensions())


class AdaptForm(forms.Form):
    title = forms.CharField(
        label=_("Title of your adaptation"), max_length=200,
        help_text=_("You can change everything else after the copy is made."),
    )


class ResourceSearchForm(forms.Form):
    SORT_CHOICES = [("relevance", _("Best match")), ("used", _("Most used")),
                    ("recent", _("Recently changed"))]

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(label=_("Type"), required=False,
                             choices=[("", _("All types")), *Resource.Kind.choices])
    subject = forms.ModelChoiceField(label=_("Subject"), required=False,
                                     queryset=Subject.objects.none(),
                                     empty_label=_("All subjects"))
    grade = forms.ChoiceField(label=_("Grade"), required=False,
                              choices=[("", _("All grades")), *Grade.choices])
    focus_area = forms.ModelChoiceField(label=_("Focus area"), required=False,
                                        queryset=FocusArea.objects.none(),
                                        empty_label=_("All focus areas"))
    scope = forms.ChoiceField(label=_("Shared with"), required=False,
                              choices=[("", _("Anyone")), ("mine", _("Written by me")),
                                       *SCOPE_CHOICES])
    tag = forms.CharField(label=_("Tag"), required=False, max_length=50)
    look_for = forms.ChoiceField(label=_("Helps with the look-for"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORT_CHOICES)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["subject"].queryset = Subject.objects.filter(district_id=user.district_id)
        self.fields["focus_area"].queryset = FocusArea.objects.filter(
            district_id=user.district_id)
        choices = look_for_choices(user)
        # A look-for followed from a resource's page may belong to a template of another
        # district (a resource shared with every district): it is offered too.
        wanted = str((self.data or {}).get("look_for") or "")
        if wanted and wanted not in labels_of(choices):
            tagged = _tagged_look_for(wanted)
            if tagged:
                choices.append((_("Other look-fors"), [tagged]))
        self.fields["look_for"].choices = [("", _("Any look-for")), *choices]


def _tagged_look_for(key):
    """(key, label) of a look-for some resource is tagged with, or None."""
    try:
        key = str(uuid.UUID(key))
    except ValueError:
        return None
    label = (ResourceIndicator.objects.filter(key=key).order_by("pk")
             .values_list("label", flat=True).first())
    return (key, label) if label else None


class AttachSearchForm(forms.Form):
    """The search for a resource to attach to a group session or a check-in."""

    q = forms.CharField(label=_("Find a resource"), max_length=200, required=False,
                        help_text=_("Words from its title, content or tags."))


class VersionCompareForm(forms.Form):
    """Which earlier version a version is compared with (the one just before, unless the
    reader picks another)."""

    against = forms.TypedChoiceField(label=_("Compare with"), coerce=int, required=False,
                                     empty_value=None)

    def __init__(self, *args, earlier=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["against"].choices = [
            (number, _("Version %(number)s") % {"number": number}) for number in earlier]
        self.fields["against"].error_messages["invalid_choice"] = _(
            "Choose one of the earlier versions in the list.")
