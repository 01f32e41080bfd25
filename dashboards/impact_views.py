"""District impact for administrators: the page, its CSV exports, the printable board
report, and the district's hourly cost. District admins see every school; a school admin
the same figures for their own school only. Figures come from the roll-up; nothing any
teacher wrote is ever read here."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.models import School
from mentorship.exports import csv_response
from mentorship.shortcuts import invalid, require_perm
from programs.models import Program

from . import permissions  # noqa: F401  registers the rules
from .impact import ask_again, district_impact, hourly_cost_of, is_stale, rollup_of
from .models import ImpactSettings
from .rollups import school_years

SCHOOLS_PER_PAGE = 50
TABLES = ["programs", "schools", "stages", "months", "confidence", "retention", "cost",
          "surveys"]


class ImpactFilterForm(forms.Form):
    """Which school year, program and school the figures are for. A school admin's school
    is always one of theirs."""

    school_year = forms.ChoiceField(label=gettext_lazy("School year"), required=False)
    program = forms.ModelChoiceField(
        label=gettext_lazy("Program"), queryset=Program.objects.none(), required=False,
        empty_label=gettext_lazy("All programs"),
        error_messages={"invalid_choice": gettext_lazy(
            "Choose a program from the list.")})
    school = forms.ModelChoiceField(
        label=gettext_lazy("School"), queryset=School.objects.none(), required=False,
        empty_label=gettext_lazy("All schools"),
        error_messages={"invalid_choice": gettext_lazy("Choose a school from the list.")})

    def __init__(self, data, *, user, years):
        super().__init__(data)
        self.years = years
        self.fields["school_year"].choices = [(year, year) for year in years]
        self.fields["program"].queryset = (Program.objects.visible_to(user)
                                           .order_by("name", "pk"))
        schools = School.objects.managed_by(user).order_by("name", "pk")
        self.fields["school"].queryset = schools
        self.admin_schools = None
        if not user.is_district_admin:
            # A school admin always looks at one of their own schools.
            self.admin_schools = list(user.administered_schools)
            self.fields["school"].empty_label = None
            self.fields["school"].queryset = School.objects.filter(
                pk__in=[s.pk for s in self.admin_schools]).order_by("name", "pk")

    def clean(self):
        data = super().clean()
        program = data.get("program")
        if not data.get("school_year"):
            data["school_year"] = program.school_year if program else (
                self.years[0] if self.years else "")
        if program is not None and program.school_year != data["school_year"]:
            self.add_error("program", _(
                "This program runs in %(year)s: choose that school year, or all programs.")
                % {"year": program.school_year})
        if self.admin_schools is not None and data.get("school") is None and self.admin_schools:
            data["school"] = sorted(self.admin_schools, key=lambda s: (s.name, s.pk))[0]
        return data


class HourlyCostForm(forms.ModelForm):
    class Meta:
        model = ImpactSettings
        fields = ["hourly_cost"]
        widgets = {"hourly_cost": forms.NumberInput(attrs={"step": "0.01", "min": "0"})}


def _options(choices, selected=""):
    """<option> elements, escaped, with the chosen one selected."""
    return format_html_join("", "<option value=\"{}\"{}>{}</option>", (
        (pk, mark_safe(" selected") if str(pk) == selected else "", label)
        for pk, label in choices))


def _queue_refresh(district, rollup):
    """Ask for new figures when these are missing or too old, once every few minutes."""
    from .tasks import refresh_district_impact

    if is_stale(rollup):
        ask_again(refresh_district_impact, district.pk)


def _impact_context(request):
    """The filter form and, when it is valid, the figures; raises 404 for anyone who is not
    an administrator of the district or one of its schools."""
    user = request.user
    require_perm(user, "dashboards.view_district_impact")
    district = user.district
    data = request.GET if any(k in request.GET for k in ("school_year", "program", "school")) \
        else {}
    form = ImpactFilterForm(data, user=user, years=school_years(district))
    context = {"form": form, "district": district, "impact": None,
               "can_edit_cost": user.has_perm("dashboards.change_impact_settings")}
    rollup = rollup_of(district)
    context["rollup"] = rollup
    # The lists of the filter's choices, read as plain rows: a district's 600 schools drawn
    # through widget templates would cost more than all the figures.
    valid = form.is_valid()
    selected = {name: str(getattr(form.cleaned_data.get(name), "pk", "") or "") if valid
                else str(form.data.get(name, "")) for name in ("program", "school")}
    selected["school_year"] = (form.cleaned_data.get("school_year") if valid
                               else form.data.get("school_year", ""))
    context["selected"] = selected
    context["school_options"] = _options(
        form.fields["school"].queryset.values_list("pk", "name"), selected["school"])
    context["program_options"] = _options(
        ((pk, f"{name} ({year})") for pk, name, year
         in form.fields["program"].queryset.values_list("pk", "name", "school_year")),
        selected["program"])
    if not valid:
        return context
    filters = form.cleaned_data
    context["filters"] = filters
    context["query"] = request.GET.urlencode() if data else ""
    if not filters["school_year"]:
        return context
    hourly_cost = hourly_cost_of(district)
    context["hourly_cost"] = hourly_cost
    context["impact"] = district_impact(
        district, school_year=filters["school_year"], program=filters["program"],
        school=filters["school"], rollup=rollup, hourly_cost=hourly_cost)
    _queue_refresh(district, rollup)
    return context


@login_required
def district(request):
    """The district impact page (a school admin's is their school's)."""
    context = _impact_context(request)
    if not context["form"].is_valid():
        return invalid(request, "dashboards/district.html", context)
    if context["can_edit_cost"]:
        context["cost_form"] = HourlyCostForm(instance=ImpactSettings(
            hourly_cost=context.get("hourly_cost")))
    if context["impact"] is not None:
        schools = context["impact"].tables["schools"]
        context["schools_page"] = Paginator(schools.rows, SCHOOLS_PER_PAGE).get_page(
            request.GET.get("page"))
    return render(request, "dashboards/district.html", context)


@login_required
def report(request):
    """The same figures on one printable page for a board meeting."""
    context = _impact_context(request)
    if not context["form"].is_valid():
        return invalid(request, "dashboards/report.html", context)
    return render(request, "dashboards/report.html", context)


@login_required
def export(request, table):
    """One table of the impact page as CSV, with the page's filters; suppressed cells say
    so rather than show a number."""
    if table not in TABLES:
        raise Http404
    context = _impact_context(request)
    form = context["form"]
    if not form.is_valid():
        return invalid(request, "dashboards/district.html", context)
    if context["impact"] is None:
        raise Http404
    found = context["impact"].tables[table]
    filters = context["filters"]
    name = "-".join(str(part) for part in (
        _("impact"), table, filters["school_year"], filters["program"] or "",
        filters["school"] or "") if part)
    return csv_response(name, [found.label_header, *[str(c) for c in found.columns]],
                        found.csv_rows())


@login_required
@require_POST
def hourly_cost(request):
    """The district's cost of an hour, which the cost summary multiplies hours by."""
    require_perm(request.user, "dashboards.change_impact_settings")
    district = request.user.district
    settings, _created = ImpactSettings.objects.get_or_create(district=district)
    form = HourlyCostForm(request.POST, instance=settings)
    if not form.is_valid():
        context = _impact_context(request)
        context["cost_form"] = form
        return invalid(request, "dashboards/district.html", context)
    saved = form.save(commit=False)
    saved.updated_by = request.user
    saved.save()
    messages.success(request, _("The cost of an hour is saved."))
    return redirect(f"{reverse('dashboards:district')}#cost")
