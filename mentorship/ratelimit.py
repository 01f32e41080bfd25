"""A per-client limit on public pages that anyone may call without signing in (checking a
badge against an email address), kept in the shared cache so it holds across web processes.

The client is found as django-allauth finds it for its sign-in limits (its settings
ALLAUTH_TRUSTED_PROXY_COUNT / ALLAUTH_TRUSTED_CLIENT_IP_HEADER behind a proxy), so one
setting serves both."""

import time

from allauth.account.adapter import get_adapter
from django.core.cache import cache
from django.core.exceptions import PermissionDenied


def client_ip(request):
    try:
        return get_adapter(request).get_client_ip(request)
    except PermissionDenied:
        return "unknown"


def wait_seconds(request, scope, per_minute):
    """Count this request against `per_minute` requests a minute from its client; the seconds
    to wait when it is over the limit, else None."""
    now = time.time()
    window = int(now // 60)
    key = f"ratelimit:{scope}:{client_ip(request)}:{window}"
    try:
        cache.add(key, 0, timeout=90)
        count = cache.incr(key)
    except ValueError:
        # The cache is down (django-redis ignores the outage and misses): let people through
        # rather than refuse everyone.
        return None
    if count is None or count <= per_minute:
        return None
    return max(1, 60 * (window + 1) - int(now))
