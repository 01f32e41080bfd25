from django.conf import settings
from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import i18n
from django.views.decorators.http import require_POST


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def csrf_failure(request, reason=""):
    # A form left open past the session, or opened in another browser: say so plainly.
    if request.headers.get("HX-Request") == "true":
        # htmx swaps into the part of the page that asked: a whole error page would land
        # inside a card. Answer a short notice for the top of the page instead, leaving the
        # form and what was typed in it as they are. The status stays 403 so that scripts
        # sending on their own (offline observation notes) know to fetch a new token.
        current_url = request.headers.get("HX-Current-URL", "")
        if not url_has_allowed_host_and_scheme(current_url, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            current_url = ""
        response = render(request, "errors/403_csrf_htmx.html", {"current_url": current_url},
                          status=403)
        response["HX-Retarget"] = "#main"
        response["HX-Reswap"] = "afterbegin"
        return response
    return render(request, "errors/403_csrf.html", status=403)


@require_POST
def set_language(request):
    """Switch the language; a signed-in person keeps the choice in their profile."""
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        request.user.preferred_language = language
        request.user.save(update_fields=["preferred_language"])
    return i18n.set_language(request)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    # Rendered without the request's context: the database may be what failed.
    return HttpResponseServerError(loader.render_to_string("errors/500.html"))
