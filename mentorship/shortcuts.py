"""Helpers every app's views share."""

from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import render


def require_perm(user, perm, obj=None):
    """Deny as 404, so a page never confirms that something exists to someone outside it."""
    if not user.has_perm(perm, obj):
        raise Http404


def invalid(request, template, context):
    """Re-render a form with its errors and everything the person typed."""
    return render(request, template, context, status=400)


def add_service_error(form, error):
    """A service's refusal next to the field it names; anything else above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, ValidationError(errors))
