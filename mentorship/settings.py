"""Settings, read from the environment.

Development defaults run on a bare machine (SQLite under var/, a Celery broker on the file
system). Production is any run with DEBUG off: it refuses to start without a SECRET_KEY and
turns on every transport-security setting that `check --deploy` asks for.
"""

from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
# A local .env (written by `make run`) holds development values; production uses the
# process environment alone.
ENV_FILE = env.str("ENV_FILE", default=str(BASE_DIR / ".env"))
environ.Env.read_env(ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (production) or run with "
            "DEBUG=true for development."
        )
    SECRET_KEY = "development-only-secret-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
# Debug pages show settings, code and data to whoever hits an error. A .env left over from
# `make run` on a server would turn them on for the world: debug runs on this machine only.
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1", "testserver"}
_public_hosts = [host for host in ALLOWED_HOSTS
                 if host not in LOCAL_HOSTS and not host.rstrip(".").endswith(".localhost")]
if DEBUG and _public_hosts:
    try:
        _file_sets_debug = any(line.strip().removeprefix("export ").startswith("DEBUG=")
                               for line in Path(ENV_FILE).read_text().splitlines())
    except (OSError, UnicodeDecodeError):
        _file_sets_debug = False
    raise ImproperlyConfigured(
        f"DEBUG is on while ALLOWED_HOSTS names {', '.join(_public_hosts)}"
        + (f" (DEBUG is set in {ENV_FILE})" if _file_sets_debug else "")
        + ". Debug pages show secrets to anyone: set DEBUG=false in production (remove it "
        "from the .env file), or leave ALLOWED_HOSTS unset for local development."
    )
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "csp",
    "rules.apps.AutodiscoverRulesConfig",
    "mentorship",
    "accounts",
    "programs",
    "pairing",
    "goals",
    "observations",
    "portfolio",
    "surveys",
    "notifications",
    "dashboards",
    "resources",
]

MIDDLEWARE = [
    # First: load balancers probe by IP over plain HTTP, before host checks and redirects.
    "mentorship.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PersonalSettingsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.RequireTwoFactorForAdminsMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "mentorship.urls"
WSGI_APPLICATION = "mentorship.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
    # The outbox's emails (see notifications/templating.py).
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "NAME": "emails",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {"environment": "notifications.templating.environment"},
    },
]

# Databases: PostgreSQL in production and tests, SQLite for the quick start.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'mentorship.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Web, worker and beat share one file: wait for locks instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env.bool(
        "DATABASE_JIT", default=False):
    # Pages run short queries over large tables; PostgreSQL's JIT compiler, triggered by
    # their cost estimates, spent longer compiling them (seconds) than running them.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    # django-redis: a Redis outage makes the cache miss (and logs it) instead of turning
    # every page that touches it into an error.
    CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": REDIS_URL,
                          "OPTIONS": {"IGNORE_EXCEPTIONS": True,
                                      "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1}}}
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
else:
    # Shared by every local process, so sign-in rate limits hold across them.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
                          "LOCATION": str(VAR_DIR / "cache")}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email is the login; nobody signs up without an invitation.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.SignupDetailsForm"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
# The sixth failed sign-in within five minutes on one account is refused (allauth's default,
# stated here because the promise is ours).
ACCOUNT_RATE_LIMITS = {"login_failed": "10/m/ip,5/5m/key"}
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = env.str("EMAIL_SUBJECT_PREFIX", default="[Mentorship] ")
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Tell people by email when their password, email or authenticators change.
ACCOUNT_EMAIL_NOTIFICATIONS = True
MFA_TOTP_ISSUER = env.str("MFA_TOTP_ISSUER", default="Mentorship")
# Accept the code of the neighbouring 30-second step too: phone clocks drift (RFC 6238).
MFA_TOTP_TOLERANCE = 1

# Email: EMAIL_URL such as smtp+tls://user:password@smtp.example.org:587 or consolemail://.
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
for _key in ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD",
             "EMAIL_USE_TLS", "EMAIL_USE_SSL", "EMAIL_FILE_PATH"):
    if _key in _email:
        globals()[_key] = _email[_key]
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mentorship <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Internationalisation: each person's language, each district's time zone.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="en")
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=VAR_DIR / "static")
# Front-end packages come from the npm lock file (node_modules), never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
    ("vendor/chartjs", BASE_DIR / "node_modules" / "chart.js" / "dist"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
MEDIA_ROOT = env.path("MEDIA_ROOT", default=VAR_DIR / "media")
MEDIA_URL = "/media/"

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Security headers. The policy allows no inline script and nothing from another origin.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=60 * 60 * 12)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_FAILURE_VIEW = "mentorship.views.csrf_failure"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("BEHIND_TLS_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # allauth draws the two-factor QR code as an inline SVG data URI.
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Celery: what is due lives in the database; beat only ticks a few named tasks.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL or "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _queue_dir = VAR_DIR / "celery" / "queue"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_queue_dir),
        "data_folder_out": str(_queue_dir),
    }
else:
    # An unacknowledged task is redelivered after this long: longer than any task may run.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 2 * 60 * 60}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "queue-unsent-invitations": {
        "task": "accounts.queue_unsent_invitations",
        "schedule": 60,
    },
    "clear-expired-sessions": {
        "task": "mentorship.clear_expired_sessions",
        "schedule": 60 * 60,
    },
    "sweep-roster-imports": {
        "task": "programs.sweep_roster_imports",
        "schedule": 5 * 60,
    },
    "discard-old-roster-uploads": {
        "task": "programs.discard_old_roster_uploads",
        "schedule": 24 * 60 * 60,
    },
    "check-badges": {
        "task": "portfolio.check_badges",
        "schedule": 5 * 60,
    },
    # Districts' impact figures: never older than the 15 minutes the pages promise.
    "refresh-impact": {
        "task": "dashboards.refresh_impact",
        "schedule": 5 * 60,
    },
    # Pairings at risk: pages read the flags of the last check, a minute or two old.
    "check-at-risk": {
        "task": "dashboards.check_at_risk",
        "schedule": 60,
    },
    "surveys-tick": {
        "task": "surveys.tick",
        "schedule": 5 * 60,
    },
    "plan-reminders": {
        "task": "notifications.plan",
        "schedule": 60,
    },
    "send-due-messages": {
        "task": "notifications.send_due",
        "schedule": 60,
    },
    "sweep-sending-messages": {
        "task": "notifications.sweep",
        "schedule": 5 * 60,
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

INVITATION_VALID_DAYS = env.int("INVITATION_VALID_DAYS", default=14)
# Uploaded rosters (every staff member's name and email) are deleted after this many days.
ROSTER_UPLOAD_RETENTION_DAYS = env.int("ROSTER_UPLOAD_RETENTION_DAYS", default=7)
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# Roster import: the largest upload (a OneRoster zip or CSV files together) an admin may send.
ROSTER_MAX_UPLOAD_MB = env.int("ROSTER_MAX_UPLOAD_MB", default=200)

# A file past its app's limit is dropped as it arrives (mentorship.uploads), not stored.
FILE_UPLOAD_HANDLERS = [
    "mentorship.uploads.SizeLimitUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Resource library: the largest file a person may attach to a resource.
RESOURCES_MAX_UPLOAD_MB = env.int("RESOURCES_MAX_UPLOAD_MB", default=20)
# Evidence: photos of student work in an observation, a file beside a goal's progress.
OBSERVATIONS_MAX_UPLOAD_MB = env.int("OBSERVATIONS_MAX_UPLOAD_MB", default=10)
GOALS_EVIDENCE_MAX_UPLOAD_MB = env.int("GOALS_EVIDENCE_MAX_UPLOAD_MB", default=10)

# The public badge check page: views and email checks a minute from one client address
# (behind a proxy, set ALLAUTH_TRUSTED_PROXY_COUNT so the client is the one it names).
BADGE_CHECKS_PER_MINUTE = env.int("BADGE_CHECKS_PER_MINUTE", default=30)
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Reminders and the outbox. Emails go out in the district's working hours and days (its
# time zone), the daily digest at NOTIFICATIONS_DIGEST_AT local time.
NOTIFICATIONS_WORKING_HOURS = env.str("NOTIFICATIONS_WORKING_HOURS", default="07:00-19:00")
NOTIFICATIONS_WORKING_DAYS = [int(day) for day in env.list(
    "NOTIFICATIONS_WORKING_DAYS", default=["0", "1", "2", "3", "4"])]  # Monday is 0
NOTIFICATIONS_DIGEST_AT = env.str("NOTIFICATIONS_DIGEST_AT", default="07:00")
# Messages one sender claims and sends over one connection, and senders started at a time.
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=200)
NOTIFICATIONS_SENDERS = env.int("NOTIFICATIONS_SENDERS", default=4)
# A failed send waits this many seconds before the next try; failed after the last.
NOTIFICATIONS_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 60 * 60]
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=5)
# A row still "sending" after this many seconds lost its sender and is sent again.
NOTIFICATIONS_SENDING_TIMEOUT = env.int("NOTIFICATIONS_SENDING_TIMEOUT", default=10 * 60)
# Marking a message sent does not wait for PostgreSQL's disk write (see
# notifications/delivery.py): a database crash in that moment resends it, never loses it.
NOTIFICATIONS_RELAXED_COMMITS = env.bool("NOTIFICATIONS_RELAXED_COMMITS", default=True)
