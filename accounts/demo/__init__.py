"""The accounts part of the demo data (`manage.py seed_demo`): a district to click through.

Creates Riverside Unified School District with its schools, subjects, focus areas and about
150 staff, plus one named account per role that shares DEMO_PASSWORD. The data comes from a
fixed random seed, so every run builds the same district; a second run finds everything in
place and changes nothing.

Each part is a module-level function that takes what the parts before it made, so each app
keeps its own `demo.py` with `seed_<feature>(demo)` and the command calls them in order.
"""

import random
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from urllib.parse import quote

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.mfa.utils import decrypt
from django.conf import settings

from accounts.models import (
    CareerStage,
    District,
    DistrictRole,
    FocusArea,
    Grade,
    Language,
    School,
    StaffProfile,
    Subject,
    User,
)

from .data import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DISTRICT_NAME,
    DISTRICT_TIME_ZONE,
    ELEMENTARY,
    EMAIL_DOMAIN,
    ESL,
    FIRST_NAMES,
    FOCUS_AREAS,
    LAST_NAMES,
    LEVEL_GRADES,
    MAX_YEARS,
    OTHER_LANGUAGES,
    POSITIONS,
    RANDOM_SEED,
    SCHOOLS,
    SPED,
    STAFF_COUNT,
    STAGE_WEIGHTS,
    SUBJECTS,
    AccountSpec,
    StaffSpec,
)


@dataclass
class DemoData:
    """What the seed made so far; each part reads what it needs and adds what it makes."""

    district: District | None = None
    schools: dict = field(default_factory=dict)       # code -> School
    subjects: dict = field(default_factory=dict)      # name -> Subject
    focus_areas: dict = field(default_factory=dict)   # name -> FocusArea
    staff: list = field(default_factory=list)         # generated StaffProfiles
    accounts: list = field(default_factory=list)      # DemoAccount, in DEMO_ACCOUNTS order
    created: Counter = field(default_factory=Counter)  # "model" -> rows created this run
    updated: Counter = field(default_factory=Counter)  # "model" -> rows changed this run
    removed: Counter = field(default_factory=Counter)  # "model" -> rows deleted this run


@dataclass
class DemoAccount:
    spec: AccountSpec
    user: User
    totp_secret: str | None = None

    @property
    def totp_uri(self):
        return totp_uri(self.user.email, self.totp_secret) if self.totp_secret else None


def totp_uri(email, secret):
    """The otpauth:// URI an authenticator app reads (what the QR code on the setup page
    holds)."""
    issuer = settings.MFA_TOTP_ISSUER
    return (f"otpauth://totp/{quote(issuer)}:{quote(email, safe='@')}"
            f"?secret={secret}&issuer={quote(issuer)}")


# -- helpers ---------------------------------------------------------------------------------

def _sync(obj, values):
    """Set the values that differ; return the names of the fields changed."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return changed


def upsert(demo, model, lookup, values):
    """get_or_create by a natural key, then bring `values` up to date; counts what changed."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    label = model._meta.model_name
    if created:
        demo.created[label] += 1
    elif changed := _sync(obj, values):
        obj.save(update_fields=changed)
        demo.updated[label] += 1
    return obj


def _sync_m2m(demo, m2m_field, desired):
    """Make the through rows of the given profiles exactly `desired`: {profile_id: {ids}}."""
    through = m2m_field.remote_field.through
    source, target = f"{m2m_field.m2m_field_name()}_id", f"{m2m_field.m2m_reverse_field_name()}_id"
    existing = {}
    for pk, profile_id, target_id in through.objects.filter(
        **{f"{source}__in": list(desired)}
    ).values_list("pk", source, target):
        existing[(profile_id, target_id)] = pk
    wanted = {(profile_id, target_id)
              for profile_id, target_ids in desired.items() for target_id in target_ids}
    missing = sorted(wanted - existing.keys())
    stale = [pk for key, pk in existing.items() if key not in wanted]
    through.objects.bulk_create([through(**{source: p, target: t}) for p, t in missing])
    if stale:
        through.objects.filter(pk__in=stale).delete()
    label = f"staffprofile.{m2m_field.name}"
    demo.created[label] += len(missing)
    demo.removed[label] += len(stale)


def _email_local(text):
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower() if ch.isalnum() or ch == "-")


def _sync_staff(demo, specs):
    """Users and staff profiles for `specs`, in bulk: create what is missing, bring the rest
    up to date. New users get an unusable password. Returns the profiles in spec order."""
    district = demo.district
    emails = [spec.email for spec in specs]
    users = {u.email: u for u in User.objects.filter(email__in=emails)}
    new_users, changed_users = [], []
    for spec in specs:
        values = {"display_name": spec.display_name, "district_id": district.pk}
        user = users.get(spec.email)
        if user is None:
            user = User(email=spec.email, **values)
            user.set_unusable_password()
            new_users.append(user)
        elif _sync(user, values):
            changed_users.append(user)
    User.objects.bulk_create(new_users)
    User.objects.bulk_update(changed_users, ["display_name", "district_id"])
    demo.created["user"] += len(new_users)
    demo.updated["user"] += len(changed_users)
    if new_users:  # not every backend returns primary keys from a bulk insert
        users = {u.email: u for u in User.objects.filter(email__in=emails)}

    profiles = {p.user_id: p for p in StaffProfile.objects.filter(user__in=users.values())}
    new_profiles, changed_profiles = [], []
    fields = ["school_id", "job_title", "years_of_experience", "grades_taught", "languages"]
    for spec in specs:
        user = users[spec.email]
        school = demo.schools[spec.school_code] if spec.school_code else None
        values = {
            "school_id": school.pk if school else None,
            "job_title": spec.job_title,
            "years_of_experience": spec.years_of_experience,
            "grades_taught": list(spec.grades_taught),
            "languages": list(spec.languages),
        }
        profile = profiles.get(user.pk)
        if profile is None:
            new_profiles.append(StaffProfile(user=user, **values))
        elif _sync(profile, values):
            changed_profiles.append(profile)
    StaffProfile.objects.bulk_create(new_profiles)
    StaffProfile.objects.bulk_update(changed_profiles, fields)
    demo.created["staffprofile"] += len(new_profiles)
    demo.updated["staffprofile"] += len(changed_profiles)
    if new_profiles:
        profiles = {p.user_id: p
                    for p in StaffProfile.objects.filter(user__in=users.values())}

    ordered = [profiles[users[spec.email].pk] for spec in specs]
    _sync_m2m(demo, StaffProfile._meta.get_field("subjects"), {
        profile.pk: {demo.subjects[name].pk for name in spec.subjects}
        for profile, spec in zip(ordered, specs, strict=True)
    })
    _sync_m2m(demo, StaffProfile._meta.get_field("expertise"), {
        profile.pk: {demo.focus_areas[name].pk for name in spec.expertise}
        for profile, spec in zip(ordered, specs, strict=True)
    })
    return ordered


# -- generated staff -------------------------------------------------------------------------

def _grade_label(code):
    # Not Grade.label: job titles are data, not translated to the language of the run.
    names = {Grade.PK: "Pre-K", Grade.KG: "Kindergarten"}
    return names[code] if code in names else f"Grade {int(code)}"


def _draw_years(rng, min_years):
    if min_years:
        return rng.randint(min_years, 25)
    stage = rng.choices(list(STAGE_WEIGHTS), weights=list(STAGE_WEIGHTS.values()))[0]
    first, last = CareerStage.year_range(stage)
    if last is None:  # fewer teachers the longer the career
        return round(rng.triangular(first, MAX_YEARS, first + 3))
    return rng.randint(first, last)


def _draw_grades(rng, level, position):
    grades = LEVEL_GRADES[level]
    if position.homeroom:  # pre-K classes are rarer than the other grades
        return [rng.choices(grades, weights=[1] + [3] * (len(grades) - 1))[0]]
    if level == ELEMENTARY:
        grades = grades[1:]  # specialists teach K-5
    if position.grade_span is None:
        return list(grades)
    low, high = position.grade_span
    span = rng.randint(low, min(high, len(grades)))
    start = rng.randint(0, len(grades) - span)
    return list(grades[start:start + span])


def _draw_languages(rng, family_language, position):
    spoken = [Language.ENGLISH]
    if position.speaks:
        spoken.append(rng.choice(position.speaks))
    if family_language and rng.random() < 0.6:
        spoken.append(family_language)
    elif rng.random() < (0.45 if ESL in position.subjects else 0.12):
        spoken.append(rng.choices(list(OTHER_LANGUAGES),
                                  weights=list(OTHER_LANGUAGES.values()))[0])
    if SPED in position.subjects and rng.random() < 0.15:
        spoken.append(Language.AMERICAN_SIGN_LANGUAGE)
    return list(dict.fromkeys(str(code) for code in spoken))


def _draw_expertise(rng, years, position):
    stage = CareerStage.for_years(years)
    low, high = {CareerStage.NEW: (0, 1), CareerStage.EARLY: (1, 2),
                 CareerStage.ESTABLISHED: (1, 3), CareerStage.EXPERIENCED: (2, 4)}[stage]
    count = rng.randint(low, high)
    chosen = []
    for area in rng.sample(position.focus, len(position.focus)):
        if len(chosen) < count and rng.random() < 0.7:
            chosen.append(area)
    others = [area for area in FOCUS_AREAS if area not in chosen]
    chosen += rng.sample(others, count - len(chosen))
    return sorted(chosen, key=FOCUS_AREAS.index)


def generate_staff_specs(count=STAFF_COUNT, seed=RANDOM_SEED):
    """The generated staff, the same for the same count and seed; no database access."""
    rng = random.Random(seed)
    capacity = sum(school.staff for school in SCHOOLS)
    places = [school for school in SCHOOLS
              for _ in range(round(school.staff * count / capacity))]
    places = (places + [SCHOOLS[-1]] * count)[:count]
    taken = {account.email for account in DEMO_ACCOUNTS}
    specs = []
    for school in places:
        positions = POSITIONS[school.level]
        position = rng.choices(positions, weights=[p.weight for p in positions])[0]
        first = rng.choice(FIRST_NAMES)
        last, family_language = rng.choice(LAST_NAMES)
        local = f"{_email_local(first)}.{_email_local(last)}"
        email, n = f"{local}@{EMAIL_DOMAIN}", 1
        while email in taken:
            n += 1
            email = f"{local}{n}@{EMAIL_DOMAIN}"
        taken.add(email)
        years = _draw_years(rng, position.min_years)
        grades = _draw_grades(rng, school.level, position)
        title = rng.choice(position.titles).format(grade=_grade_label(grades[0]))
        subjects = list(position.subjects)
        if position.homeroom and rng.random() < 0.1:
            subjects.append(rng.choice([SPED, ESL]))  # co-taught or dual-certified class
        specs.append(StaffSpec(
            email=email,
            display_name=f"{first} {last}",
            school_code=school.code,
            job_title=title,
            years_of_experience=years,
            grades_taught=tuple(str(g) for g in grades),
            languages=tuple(_draw_languages(rng, family_language, position)),
            subjects=tuple(subjects),
            expertise=tuple(_draw_expertise(rng, years, position)),
        ))
    return _cover_every_stage(specs)


def _cover_every_stage(specs):
    """However the draw went, every career stage occurs: the demo needs all of them."""
    specs = list(specs)
    for stage in CareerStage:
        if any(CareerStage.for_years(s.years_of_experience) == stage for s in specs):
            continue
        counts = Counter(CareerStage.for_years(s.years_of_experience) for s in specs)
        donor = max(counts, key=counts.get)
        for i, spec in enumerate(specs):
            if (CareerStage.for_years(spec.years_of_experience) == donor
                    and "Coach" not in spec.job_title):
                specs[i] = replace(spec, years_of_experience=CareerStage.year_range(stage)[0])
                break
    return specs


# -- the parts -------------------------------------------------------------------------------

def seed_district(demo):
    """The district with its schools, subjects and focus areas."""
    district = District.objects.filter(name=DISTRICT_NAME).order_by("pk").first()
    if district is None:
        district = District.objects.create(name=DISTRICT_NAME, time_zone=DISTRICT_TIME_ZONE)
        demo.created["district"] += 1
    elif _sync(district, {"time_zone": DISTRICT_TIME_ZONE}):
        district.save(update_fields=["time_zone"])
        demo.updated["district"] += 1
    demo.district = district
    for spec in SCHOOLS:
        demo.schools[spec.code] = upsert(
            demo, School, {"district": district, "code": spec.code}, {"name": spec.name})
    for name in SUBJECTS:
        demo.subjects[name] = upsert(demo, Subject, {"district": district, "name": name}, {})
    for name in FOCUS_AREAS:
        demo.focus_areas[name] = upsert(
            demo, FocusArea, {"district": district, "name": name}, {})
    return demo


def seed_staff(demo, count=STAFF_COUNT, seed=RANDOM_SEED):
    """About 150 teachers and specialists spread over the schools (unusable passwords)."""
    demo.staff = _sync_staff(demo, generate_staff_specs(count, seed))
    return demo


def seed_demo_accounts(demo):
    """One account per role, signing in with DEMO_PASSWORD; admins get a TOTP authenticator."""
    staff_specs = [a.staff for a in DEMO_ACCOUNTS if a.staff]
    _sync_staff(demo, staff_specs)
    for spec in DEMO_ACCOUNTS:
        if spec.staff:
            user = User.objects.get(email=spec.email)
        else:
            user = upsert(demo, User, {"email": spec.email}, {
                "display_name": spec.display_name, "district": None,
                "is_staff": spec.superuser, "is_superuser": spec.superuser,
            })
        if spec.superuser and _sync(user, {"is_staff": True, "is_superuser": True}):
            user.save(update_fields=["is_staff", "is_superuser"])
        # Setting it again would change nothing but the salt, so a second run leaves a
        # matching hash alone. Each check costs one hash (about 0.25 s with PBKDF2).
        if (not user.password or not user.has_usable_password()
                or not user.check_password(DEMO_PASSWORD)):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            demo.updated["demo password"] += 1
        if spec.district_role:
            school = demo.schools[spec.staff.school_code] if spec.staff.school_code else None
            upsert(demo, DistrictRole, {"user": user, "district": demo.district,
                                         "role": spec.district_role, "school": school}, {})
        _verified_primary_email(demo, user)
        account = DemoAccount(spec, user)
        if spec.two_factor:
            account.totp_secret = _totp_secret(demo, user)
        demo.accounts.append(account)
    return demo


def _verified_primary_email(demo, user):
    """Sign-in requires a verified address (ACCOUNT_EMAIL_VERIFICATION = "mandatory")."""
    if EmailAddress.objects.filter(user=user, email=user.email, verified=True,
                                   primary=True).exists():
        return
    EmailAddress.objects.filter(user=user, primary=True).exclude(email=user.email).update(
        primary=False)
    upsert(demo, EmailAddress, {"user": user, "email": user.email},
            {"verified": True, "primary": True})


def _totp_secret(demo, user):
    """The account's TOTP secret: the stored one, or a new authenticator on the first run."""
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        return decrypt(authenticator.data["secret"])
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    demo.created["authenticator"] += 1
    return secret
