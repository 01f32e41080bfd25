"""Comparing a roster with the district and writing the difference.

The same code counts what an import would change (check) and changes it (apply), so the
preview and the result always agree. Apply runs in one transaction: any problem, found in
the file or met while writing, rolls everything back.
"""

import secrets
from collections import namedtuple
from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import District, School, StaffProfile, Subject, User

from ..signals import roster_applied
from .oneroster import ROLE_TITLES
from .problems import Problems

BATCH_SIZE = 1000
COUNT_KEYS = (
    "schools_created", "schools_updated", "schools_unchanged",
    "people_created", "people_updated", "people_unchanged", "people_deactivated",
    "people_skipped", "subjects_created",
)
# What each count means, for pages and the command's output.
COUNT_LABELS = [
    ("schools_created", gettext_lazy("Schools created")),
    ("schools_updated", gettext_lazy("Schools updated")),
    ("schools_unchanged", gettext_lazy("Schools unchanged")),
    ("people_created", gettext_lazy("People created")),
    ("people_updated", gettext_lazy("People updated")),
    ("people_unchanged", gettext_lazy("People unchanged")),
    ("people_deactivated", gettext_lazy("People marked inactive")),
    ("people_skipped", gettext_lazy("Inactive rows of people not here, skipped")),
    ("subjects_created", gettext_lazy("Subjects added to the district's list")),
]
SubjectLink = StaffProfile.subjects.through

Current = namedtuple("Current", "user_id email display_name is_active district_id profile_id "
                                "sourced_id school_id job_title grades")
_FIELDS = ("id", "email", "display_name", "is_active", "district_id", "staff_profile__id",
           "staff_profile__sourced_id", "staff_profile__school_id", "staff_profile__job_title",
           "staff_profile__grades_taught")
_PROFILE_FIELDS = ("user_id", "user__email", "user__display_name", "user__is_active",
                   "user__district_id", "id", "sourced_id", "school_id", "job_title",
                   "grades_taught")


# What a row may hold: (record attribute, model field that stores it).
PERSON_LIMITS = (("sourced_id", StaffProfile, "sourced_id"), ("email", User, "email"),
                 ("display_name", User, "display_name"),
                 ("job_title", StaffProfile, "job_title"))
SCHOOL_LIMITS = (("sourced_id", School, "sourced_id"), ("code", School, "code"),
                 ("name", School, "name"))


class NewSchool(str):
    """Stands for a school a check would create (it has no id yet)."""


@dataclass
class Outcome:
    counts: dict = field(default_factory=lambda: dict.fromkeys(COUNT_KEYS, 0))
    problems: Problems = field(default_factory=Problems)
    applied: bool = False

    @property
    def changes(self):
        return sum(v for k, v in self.counts.items()
                   if not k.endswith(("_unchanged", "_skipped")))


class _Rollback(Exception):
    pass


def sync_roster(*, reader, district: District, full_sync: bool, apply: bool,
                acting_user_id: int | None = None, on_applied=None) -> Outcome:
    """Compare the roster with the district: count what would change, and with `apply`
    write it, all or nothing.

    Guarantees: a person is matched by sourced id, then by email (case-insensitive), so a
    roster read twice changes nothing the second time; people are never deleted, only marked
    inactive (when their row says so, or, in a full import, when a person with a roster id
    is missing from the file); people without a roster id are never marked inactive; the
    acting admin is never marked inactive. `on_applied(outcome)` runs inside the
    transaction of a successful apply, so that what records the result commits with it.
    """
    sync = _Sync(reader, district, full_sync=full_sync, apply=apply,
                 acting_user_id=acting_user_id)
    if not apply:
        sync.run()
        return sync.outcome
    try:
        with transaction.atomic():
            # One sync per district at a time.
            list(District.objects.select_for_update().filter(pk=district.pk).values_list("pk"))
            sync.run()
            if sync.outcome.problems:
                raise _Rollback
            sync.outcome.applied = True
            if on_applied is not None:
                on_applied(sync.outcome)
    except _Rollback:
        return sync.outcome
    except IntegrityError:
        sync.outcome.problems.add("", None, "", _(
            "People changed while the roster was being applied; check it again."))
        sync.outcome.applied = False
        return sync.outcome
    roster_applied.send(sender=District, district=district)
    return sync.outcome


class _Sync:
    def __init__(self, reader, district, *, full_sync, apply, acting_user_id):
        self.reader = reader
        self.district = district
        self.full_sync = full_sync
        self.apply = apply
        self.acting_user_id = acting_user_id
        self.outcome = Outcome()
        self.counts = self.outcome.counts
        self.problems = self.outcome.problems
        self.moved_addresses = {}  # user id -> (old address, new address)

    def _too_long(self, record, limits, id_column):
        """Report each value longer than the database keeps, so the check finds it rather
        than the apply failing; True if there was one."""
        found = False
        for attribute, model, name in limits:
            value = getattr(record, attribute, None) or ""
            limit = model._meta.get_field(name).max_length
            if len(value) > limit:
                column = id_column if attribute == "sourced_id" else attribute
                self.problems.add(record.file, record.row, column, _(
                    "This is %(length)s characters long; at most %(limit)s fit.")
                    % {"length": len(value), "limit": limit})
                found = True
        return found

    def run(self):
        schools = list(School.objects.filter(district=self.district)
                       .values("id", "sourced_id", "code", "name"))
        self.db_by_sid = {s["sourced_id"]: s for s in schools if s["sourced_id"]}
        self.db_by_code = {s["code"]: s for s in schools}
        records = self.reader.read_schools(self.problems, known_school_ids=set(self.db_by_sid),
                                           known_school_codes=set(self.db_by_code))
        if records is None:
            return
        self.school_by_key = self._sync_schools(records)
        self.subject_ids = {}  # lower-case name -> id (None: a check would create it)
        self.subject_names = {}  # id -> lower-case name
        for pk, name in Subject.objects.filter(district=self.district).values_list("pk", "name"):
            self.subject_ids[name.lower()] = pk
            self.subject_names[pk] = name.lower()
        batch = []
        for person in self.reader.read_people(self.problems):
            batch.append(person)
            if len(batch) >= BATCH_SIZE:
                self._sync_people(batch)
                batch = []
        if batch:
            self._sync_people(batch)
        if self.full_sync and not self.problems:
            self._deactivate_missing(self.reader.seen_ids)

    # Schools ---------------------------------------------------------------------------

    def _sync_schools(self, records):
        by_key, codes, create, update = {}, {}, [], []
        for record in records:
            if self._too_long(record, SCHOOL_LIMITS, "sourced_id"):
                continue
            current = self.db_by_sid.get(record.sourced_id) if record.sourced_id else None
            current = current or self.db_by_code.get(record.code)
            if record.code in codes:
                self.problems.add(record.file, record.row, "identifier", _(
                    "The school code “%(code)s” is also on row %(row)s."
                ) % {"code": record.code, "row": codes[record.code]})
                continue
            codes[record.code] = record.row
            if current is None:
                create.append(record)
                by_key[record.key] = NewSchool(record.key)
                continue
            if record.sourced_id and current["sourced_id"] not in ("", record.sourced_id):
                self.problems.add(record.file, record.row, "identifier", _(
                    "The school code “%(code)s” belongs to %(name)s, which has another "
                    "sourced id."
                ) % {"code": record.code, "name": current["name"]})
                continue
            by_key[record.key] = current["id"]
            # Only a roster with sourced ids renames schools; the simple CSV only adds them.
            wanted = {"sourced_id": record.sourced_id or current["sourced_id"],
                      "code": current["code"], "name": current["name"]}
            if record.sourced_id:
                wanted.update(code=record.code, name=record.name)
                owner = self.db_by_code.get(record.code)
                if owner is not None and owner["id"] != current["id"]:
                    self.problems.add(record.file, record.row, "identifier", _(
                        "The school code “%(code)s” belongs to %(name)s."
                    ) % {"code": record.code, "name": owner["name"]})
                    continue
            if any(current[k] != v for k, v in wanted.items()):
                update.append(School(pk=current["id"], district=self.district, **wanted))
            else:
                self.counts["schools_unchanged"] += 1
        self.counts["schools_created"] = len(create)
        self.counts["schools_updated"] = len(update)
        if self.apply and not self.problems:
            created = School.objects.bulk_create(
                [School(district=self.district, sourced_id=r.sourced_id, code=r.code,
                        name=r.name) for r in create], batch_size=BATCH_SIZE)
            for record, school in zip(create, created, strict=True):
                by_key[record.key] = school.pk
            School.objects.bulk_update(update, ["sourced_id", "code", "name"],
                                       batch_size=BATCH_SIZE)
        return by_key

    def _school_id(self, key):
        if key in self.school_by_key:
            return self.school_by_key[key]
        if self.reader.school_keys == "code" and key in self.db_by_code:
            return self.db_by_code[key]["id"]
        school = self.db_by_sid.get(key)
        return school["id"] if school else None

    # People ----------------------------------------------------------------------------

    def _administrators(self, user_ids):
        """Who among these people holds an administrative role or operates the site."""
        return set(User.objects.filter(pk__in=user_ids).filter(
            Q(is_staff=True) | Q(is_superuser=True) | Q(district_roles__district=self.district)
        ).values_list("pk", flat=True))

    def _current(self, batch):
        by_sid, by_email = {}, {}
        for row in (StaffProfile.objects
                    .filter(user__district=self.district,
                            sourced_id__in=[p.sourced_id for p in batch])
                    .values_list(*_PROFILE_FIELDS)):
            current = Current(*row)
            by_sid.setdefault(current.sourced_id, current)
        for row in (User.objects.annotate(email_lower=Lower("email"))
                    .filter(email_lower__in=[p.email for p in batch]).values_list(*_FIELDS)):
            current = Current(*row)
            by_email[current.email.lower()] = current
        profile_ids = {c.profile_id for c in (*by_sid.values(), *by_email.values())
                       if c.profile_id}
        subjects = {}
        for profile_id, subject_id in SubjectLink.objects.filter(
                staffprofile_id__in=profile_ids).values_list("staffprofile_id", "subject_id"):
            subjects.setdefault(profile_id, set()).add(self.subject_names.get(subject_id))
        return by_sid, by_email, subjects

    def _sync_people(self, batch):
        by_sid, by_email, current_subjects = self._current(batch)
        id_column = self.reader.id_column
        administrators = self._administrators({c.user_id for c in (*by_sid.values(),
                                                                   *by_email.values())})
        new, user_updates, profile_updates, profile_creates, subject_sets = [], [], [], [], []
        for person in batch:
            if self._too_long(person, PERSON_LIMITS, id_column):
                continue
            in_district = by_sid.get(person.sourced_id)
            by_address = by_email.get(person.email)
            if by_address and by_address.district_id != self.district.pk:
                self.problems.add(person.file, person.row, "email", _(
                    "%(email)s is already used by a person outside this district."
                ) % {"email": person.email})
                continue
            if in_district and by_address and in_district.user_id != by_address.user_id:
                self.problems.add(person.file, person.row, "email", _(
                    "%(email)s is the email address of another person in this district "
                    "(%(name)s).") % {"email": person.email, "name": by_address.display_name})
                continue
            if (in_district is None and by_address and by_address.sourced_id
                    and by_address.sourced_id != person.sourced_id):
                self.problems.add(person.file, person.row, id_column, _(
                    "The person with the email address %(email)s has the roster id "
                    "“%(other)s”.") % {"email": person.email, "other": by_address.sourced_id})
                continue
            current = in_district or by_address
            if (current is not None and current.user_id in administrators
                    and current.email.lower() != person.email):
                # An address is how an account is recovered: a file must not be able to
                # move an administrator's account to another mailbox.
                self.problems.add(person.file, person.row, "email", _(
                    "%(name)s is an administrator, and a roster does not change an "
                    "administrator's email address. Change it on their page first, or "
                    "correct the file.") % {"name": current.display_name})
                continue
            school_id = self._school_id(person.school_key) if person.school_key else None
            subjects = None
            if person.subjects is not None:
                subjects = {s.lower(): s for s in person.subjects}
            if current is None:
                if not person.active:
                    self.counts["people_skipped"] += 1
                    continue
                self.counts["people_created"] += 1
                new.append((person, school_id, subjects))
                continue
            user = {"email": current.email, "display_name": current.display_name,
                    "is_active": current.is_active}
            if current.email.lower() != person.email:
                user["email"] = person.email
            user["display_name"] = person.display_name
            user["is_active"] = person.active or current.user_id == self.acting_user_id
            profile = {"sourced_id": current.sourced_id or "", "school_id": current.school_id,
                       "job_title": current.job_title or "",
                       "grades_taught": current.grades or []}
            profile["sourced_id"] = person.sourced_id
            if school_id is not None:
                profile["school_id"] = school_id
            if person.job_title and (not person.title_from_role or not profile["job_title"]
                                     or profile["job_title"] in ROLE_TITLES):
                profile["job_title"] = person.job_title
            if person.grades is not None:
                profile["grades_taught"] = list(person.grades)
            user_changed = (user["email"] != current.email
                            or user["display_name"] != current.display_name
                            or user["is_active"] != current.is_active)
            profile_changed = current.profile_id is None or (
                profile["sourced_id"] != current.sourced_id
                or profile["school_id"] != current.school_id
                or profile["job_title"] != current.job_title
                or profile["grades_taught"] != current.grades)
            subjects_changed = subjects is not None and (
                set(subjects) != current_subjects.get(current.profile_id, set()))
            if current.is_active and not user["is_active"]:
                self.counts["people_deactivated"] += 1
            elif user_changed or profile_changed or subjects_changed:
                self.counts["people_updated"] += 1
            else:
                self.counts["people_unchanged"] += 1
            if user_changed:
                user_updates.append(User(pk=current.user_id, **user))
                if user["email"] != current.email:
                    self.moved_addresses[current.user_id] = (current.email, user["email"])
            if current.profile_id is None:
                profile_creates.append((StaffProfile(user_id=current.user_id, **profile),
                                        subjects))
            elif profile_changed:
                profile_updates.append(StaffProfile(pk=current.profile_id, **profile))
            if subjects_changed and current.profile_id is not None:
                subject_sets.append((current.profile_id, subjects))
        self._add_subjects([s for *_rest, s in new] + [s for _p, s in profile_creates]
                           + [s for _p, s in subject_sets])
        if not self.apply or self.problems:
            return
        self._write(new, user_updates, profile_updates, profile_creates, subject_sets)

    def _add_subjects(self, subject_maps):
        """Add the district's subjects the batch names for the first time."""
        missing = {}
        for subjects in subject_maps:
            for lower, name in (subjects or {}).items():
                if lower not in self.subject_ids:
                    missing.setdefault(lower, name)
        self.counts["subjects_created"] += len(missing)
        if self.apply and missing and not self.problems:
            for subject in Subject.objects.bulk_create(
                    [Subject(district=self.district, name=name) for name in missing.values()]):
                self.subject_ids[subject.name.lower()] = subject.pk
                self.subject_names[subject.pk] = subject.name.lower()
        else:
            self.subject_ids.update(dict.fromkeys(missing))

    def _write(self, new, user_updates, profile_updates, profile_creates, subject_sets):
        # Changes first, so an address a person gives up is free for a newcomer in this run.
        if user_updates:
            User.objects.bulk_update(user_updates, ["email", "display_name", "is_active"])
        self._move_addresses()
        users = User.objects.bulk_create([
            User(email=person.email, display_name=person.display_name,
                 district=self.district, is_active=True,
                 # No password until the person sets one (password reset or invitation).
                 password=UNUSABLE_PASSWORD_PREFIX + secrets.token_hex(20))
            for person, _school, _subjects in new
        ])
        # The district's roster vouches for its staff addresses, so a new person who sets a
        # password with "forgot password" can sign in without a separate confirmation.
        EmailAddress.objects.bulk_create([
            EmailAddress(user_id=user.pk, email=user.email, verified=True, primary=True)
            for user in users])
        for user, (person, school_id, subjects) in zip(users, new, strict=True):
            profile_creates.append((StaffProfile(
                user_id=user.pk, sourced_id=person.sourced_id, school_id=school_id,
                job_title=person.job_title, grades_taught=list(person.grades or [])), subjects))
        profiles = StaffProfile.objects.bulk_create([p for p, _s in profile_creates])
        subject_sets.extend((profile.pk, subjects)
                            for profile, (_p, subjects) in zip(profiles, profile_creates,
                                                                strict=True) if subjects)
        if profile_updates:
            StaffProfile.objects.bulk_update(
                profile_updates, ["sourced_id", "school_id", "job_title", "grades_taught"])
        if subject_sets:
            SubjectLink.objects.filter(
                staffprofile_id__in=[pk for pk, _s in subject_sets]).delete()
            SubjectLink.objects.bulk_create([
                SubjectLink(staffprofile_id=pk, subject_id=self.subject_ids[lower])
                for pk, subjects in subject_sets for lower in subjects
            ])

    def _move_addresses(self):
        """A person whose work address changed signs in, and resets a password, with the new
        one only: the old address no longer leads to their account."""
        moved, self.moved_addresses = self.moved_addresses, {}
        if not moved:
            return
        addresses = Q()
        for user_id, (old, new) in moved.items():
            addresses |= Q(user_id=user_id, email__iexact=old) | Q(user_id=user_id,
                                                                  email__iexact=new)
        EmailAddress.objects.filter(addresses).delete()
        EmailAddress.objects.filter(user_id__in=moved, primary=True).update(primary=False)
        EmailAddress.objects.bulk_create([
            EmailAddress(user_id=user_id, email=new, verified=True, primary=True)
            for user_id, (_old, new) in moved.items()])

    def _deactivate_missing(self, seen_ids):
        missing = [
            user_id for user_id, sourced_id in
            StaffProfile.objects.filter(user__district=self.district, user__is_active=True)
            .exclude(sourced_id="").values_list("user_id", "sourced_id").iterator(chunk_size=5000)
            if sourced_id not in seen_ids and user_id != self.acting_user_id
        ]
        self.counts["people_deactivated"] += len(missing)
        if self.apply:
            for start in range(0, len(missing), BATCH_SIZE):
                User.objects.filter(pk__in=missing[start:start + BATCH_SIZE]).update(
                    is_active=False)
