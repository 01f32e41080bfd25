"""OneRoster 1.1 CSV bulk exports: manifest, orgs, users and, when present,
academicSessions, courses, classes and enrollments.

Only staff are imported (roles teacher, administrator and aide); students, parents and
guardians are skipped. Orgs of type school become schools. A teacher's grades and subjects
come from their enrollments, through the classes to the courses.

Files are read in this order, each as a stream: manifest, orgs, academicSessions, courses,
classes (keeping the grades and subjects of each class), users (a first pass keeps the
staff ids), enrollments (grades and subjects per staff id), users again (one record per
person). What stays in memory are maps of ids.
"""

from django.utils.translation import gettext as _

from .records import PersonRecord, SchoolRecord
from .source import open_table
from .values import clean_email, clean_subject, grade_code, sorted_grades, split_list, yes_no

MANIFEST = "manifest.csv"
REQUIRED_FILES = ("manifest.csv", "orgs.csv", "users.csv")
OPTIONAL_FILES = ("academicsessions.csv", "courses.csv", "classes.csv", "enrollments.csv")
FILE_LABELS = {"academicsessions.csv": "academicSessions.csv"}
MANIFEST_FILES = {
    "file.academicSessions": "academicsessions.csv", "file.categories": None,
    "file.classes": "classes.csv", "file.classResources": None, "file.courses": "courses.csv",
    "file.courseResources": None, "file.demographics": None,
    "file.enrollments": "enrollments.csv", "file.lineItems": None, "file.orgs": "orgs.csv",
    "file.resources": None, "file.results": None, "file.users": "users.csv",
}
ORG_TYPES = {"department", "school", "district", "local", "state", "national"}
STAFF_ROLES = {"teacher": "Teacher", "administrator": "Administrator", "aide": "Aide"}
ROLE_TITLES = frozenset(STAFF_ROLES.values())
OTHER_ROLES = {"student", "guardian", "parent", "relative", "proctor"}
EMPTY = frozenset()


def label(name):
    return FILE_LABELS.get(name, name)


class OneRosterReader:
    school_keys = "sourced_id"  # people's rows name their school by its sourced id
    id_column = "sourcedId"

    def __init__(self, source, *, full_sync=True):
        self.source = source
        self.full_sync = full_sync
        self.usable = {}  # file name -> may be read (present and not declared absent)
        self.org_ids = set()
        self.school_ids = set()
        self.class_info = {}  # class id -> (grades, subjects), both interned frozensets
        self.seen_ids = {}  # every staff sourced id of users.csv, problems or not
        self._interned = {}

    def _intern(self, value):
        return self._interned.setdefault(value, value)

    # Schools ---------------------------------------------------------------------------

    def read_schools(self, problems, *, known_school_ids, known_school_codes=()):
        """Check the manifest and read the orgs and courses; the schools, or None when the
        roster cannot be read further. `known_school_ids` are the sourced ids of the
        district's schools, which people may refer to without the org being in the file."""
        names = self.source.names()
        missing = [name for name in REQUIRED_FILES if name not in names]
        for name in missing:
            problems.add(name, None, "", _("This required file is missing from the upload."))
        for name in REQUIRED_FILES + OPTIONAL_FILES:
            self.usable[name] = name in names
        if MANIFEST in names:
            self._read_manifest(problems, names)
        if "orgs.csv" in missing or "users.csv" in missing:
            return None
        self.known_school_ids = known_school_ids
        schools = self._read_orgs(problems)
        if self.usable["academicsessions.csv"]:
            self._read_sessions(problems)
        courses = self._read_courses(problems) if self.usable["courses.csv"] else None
        if self.usable["classes.csv"]:
            self._read_classes(problems, courses)
        return schools

    def _read_manifest(self, problems, names):
        seen = {}
        with open_table(self.source, MANIFEST, problems,
                        required=("propertyName", "value")) as table:
            if table is None:
                return
            prop, value = table.getter("propertyName"), table.getter("value")
            for line, row in table:
                seen[prop(row)] = (line, value(row))
        for required in ("manifest.version", "oneroster.version", "file.orgs", "file.users"):
            if required not in seen:
                problems.add(MANIFEST, None, "propertyName",
                             _("The manifest has no “%(property)s” row.") % {"property": required})
        expected = {"manifest.version": "1.0", "oneroster.version": "1.1"}
        for prop_name, version in expected.items():
            if prop_name in seen and seen[prop_name][1] != version:
                line, found = seen[prop_name]
                problems.add(MANIFEST, line, "value", _(
                    "%(property)s must be “%(expected)s”, not “%(found)s”."
                ) % {"property": prop_name, "expected": version, "found": found})
        for prop_name, file_name in MANIFEST_FILES.items():
            if prop_name not in seen:
                continue
            line, mode = seen[prop_name]
            mode = mode.lower()
            if mode not in ("bulk", "delta", "absent"):
                problems.add(MANIFEST, line, "value", _(
                    "%(property)s must be bulk, delta or absent, not “%(found)s”."
                ) % {"property": prop_name, "found": seen[prop_name][1]})
                continue
            if file_name is None:
                continue
            if mode == "absent":
                if file_name in ("orgs.csv", "users.csv"):
                    problems.add(MANIFEST, line, "value", _(
                        "%(property)s cannot be absent: people and schools come from it."
                    ) % {"property": prop_name})
                self.usable[file_name] = False
            elif file_name not in names:
                problems.add(MANIFEST, line, "value", _(
                    "The manifest lists %(file)s, but the upload does not contain it."
                ) % {"file": label(file_name)})
            if file_name == "users.csv" and mode == "delta" and self.full_sync:
                problems.add(MANIFEST, line, "value", _(
                    "users.csv holds changes only (delta); choose a partial import, so that "
                    "people missing from it are not marked inactive."))

    def _read_orgs(self, problems):
        schools, first_row = [], {}
        with open_table(self.source, "orgs.csv", problems,
                        required=("sourcedId", "name", "type")) as table:
            if table is None:
                return schools
            sid_of, name_of, type_of = (table.getter(c) for c in ("sourcedId", "name", "type"))
            ident_of, status_of = table.getter("identifier"), table.getter("status")
            for line, row in table:
                sid = sid_of(row)
                if not sid:
                    problems.add("orgs.csv", line, "sourcedId", _("A sourced id is required."))
                    continue
                if sid in first_row:
                    problems.add("orgs.csv", line, "sourcedId", duplicate(sid, first_row[sid]))
                    continue
                first_row[sid] = line
                self.org_ids.add(sid)
                org_type = type_of(row).lower()
                if org_type not in ORG_TYPES:
                    problems.add("orgs.csv", line, "type", _(
                        "“%(value)s” is not a OneRoster org type."
                    ) % {"value": type_of(row)})
                    continue
                if org_type != "school":
                    continue
                self.school_ids.add(sid)
                if status_of(row).lower() == "tobedeleted":
                    continue  # schools are never deleted; people keep theirs
                name, code = name_of(row), ident_of(row) or sid[:32]
                if not name:
                    problems.add("orgs.csv", line, "name", _("A school needs a name."))
                    continue
                if len(code) > 32:
                    problems.add("orgs.csv", line, "identifier", _(
                        "A school code has at most 32 characters."))
                    continue
                schools.append(SchoolRecord(key=sid, sourced_id=sid, code=code,
                                            name=name[:200], file="orgs.csv", row=line))
        return schools

    def _read_sessions(self, problems):
        name = "academicsessions.csv"
        with open_table(self.source, name, problems, required=("sourcedId", "type"),
                        label=label(name)) as table:
            if table is None:
                return
            sid_of = table.getter("sourcedId")
            for line, row in table:
                if not sid_of(row):
                    problems.add(label(name), line, "sourcedId", _("A sourced id is required."))

    def _grades_and_subjects(self, table):
        grades_of, subjects_of = table.getter("grades"), table.getter("subjects")

        def read(row):
            grades = frozenset(filter(None, map(grade_code, split_list(grades_of(row)))))
            subjects = frozenset(clean_subject(s) for s in split_list(subjects_of(row)))
            return self._intern(grades), self._intern(subjects)

        return read

    def _read_courses(self, problems):
        courses = {}
        with open_table(self.source, "courses.csv", problems, required=("sourcedId",)) as table:
            if table is None:
                return courses
            sid_of, read = table.getter("sourcedId"), self._grades_and_subjects(table)
            for line, row in table:
                sid = sid_of(row)
                if not sid:
                    problems.add("courses.csv", line, "sourcedId",
                                 _("A sourced id is required."))
                    continue
                courses[sid] = read(row)
        return courses

    def _read_classes(self, problems, courses):
        required = ("sourcedId", "courseSourcedId", "schoolSourcedId")
        with open_table(self.source, "classes.csv", problems, required=required) as table:
            if table is None:
                return
            sid_of, course_of, school_of = (table.getter(c) for c in required)
            read = self._grades_and_subjects(table)
            for line, row in table:
                sid, course_id, school_id = sid_of(row), course_of(row), school_of(row)
                if not sid:
                    problems.add("classes.csv", line, "sourcedId", _("A sourced id is required."))
                    continue
                if school_id and not self._org_known(school_id):
                    problems.add("classes.csv", line, "schoolSourcedId", unknown_org(school_id))
                grades, subjects = read(row)
                if courses is not None:
                    course = courses.get(course_id)
                    if course is None:
                        problems.add("classes.csv", line, "courseSourcedId", _(
                            "No course in courses.csv has the sourced id “%(id)s”."
                        ) % {"id": course_id})
                        continue
                    grades, subjects = grades or course[0], subjects or course[1]
                self.class_info[sid] = (grades, subjects)

    def _org_known(self, org_id):
        return org_id in self.org_ids or org_id in self.known_school_ids

    # People ----------------------------------------------------------------------------

    def read_people(self, problems):
        """Every staff person of users.csv that has no problem, one at a time."""
        first_row = self.seen_ids = self._staff_ids(problems)
        taught = self._read_enrollments(problems, first_row)
        yield from self._read_users(problems, first_row, taught)

    def _staff_ids(self, problems):
        first_row = {}
        with open_table(self.source, "users.csv", problems,
                        required=("sourcedId", "role")) as table:
            if table is None:
                return first_row
            sid_of, role_of = table.getter("sourcedId"), table.getter("role")
            for line, row in table:
                sid = sid_of(row)
                if sid and role_of(row).lower() in STAFF_ROLES:
                    first_row.setdefault(sid, line)
        return first_row

    def _read_enrollments(self, problems, staff):
        taught = {}
        if not self.usable["enrollments.csv"]:
            return taught
        required = ("classSourcedId", "userSourcedId", "role")
        with open_table(self.source, "enrollments.csv", problems, required=required) as table:
            if table is None:
                return taught
            class_of, user_of, role_of = (table.getter(c) for c in required)
            classes, intern = self.class_info, self._intern
            check_classes = self.usable["classes.csv"]
            for line, row in table:
                if role_of(row).lower() not in STAFF_ROLES:
                    continue
                user_id, class_id = user_of(row), class_of(row)
                if user_id not in staff:
                    if self.full_sync:
                        problems.add("enrollments.csv", line, "userSourcedId", _(
                            "No staff member in users.csv has the sourced id “%(id)s”."
                        ) % {"id": user_id})
                    continue
                info = classes.get(class_id)
                if info is None:
                    if check_classes:
                        problems.add("enrollments.csv", line, "classSourcedId", _(
                            "No class in classes.csv has the sourced id “%(id)s”."
                        ) % {"id": class_id})
                    continue
                grades, subjects = taught.get(user_id, (EMPTY, EMPTY))
                taught[user_id] = (intern(grades | info[0]), intern(subjects | info[1]))
        return taught

    def _read_users(self, problems, first_row, taught):
        required = ("sourcedId", "enabledUser", "orgSourcedIds", "role", "givenName",
                    "familyName", "email")
        emails = {}
        with open_table(self.source, "users.csv", problems, required=required) as table:
            if table is None:
                return
            sid_of, enabled_of, orgs_of, role_of, given_of, family_of, email_of = (
                table.getter(c) for c in required)
            status_of = table.getter("status")
            for line, row in table:
                role = role_of(row).lower()
                if role not in STAFF_ROLES:
                    if role not in OTHER_ROLES:
                        problems.add("users.csv", line, "role", _(
                            "“%(value)s” is not a OneRoster role."
                        ) % {"value": role_of(row)})
                    continue
                count = problems.count
                sid = sid_of(row)
                if not sid:
                    problems.add("users.csv", line, "sourcedId", _("A sourced id is required."))
                elif first_row.get(sid) != line:
                    problems.add("users.csv", line, "sourcedId", duplicate(sid, first_row[sid]))
                enabled = yes_no(enabled_of(row))
                if enabled is None:
                    problems.add("users.csv", line, "enabledUser", _(
                        "enabledUser must be true or false, not “%(value)s”."
                    ) % {"value": enabled_of(row)})
                name = " ".join(filter(None, (given_of(row), family_of(row))))
                if not name:
                    problems.add("users.csv", line, "givenName", _("A name is required."))
                email = clean_email(email_of(row))
                if not email_of(row):
                    problems.add("users.csv", line, "email", _(
                        "An email address is required: people sign in with it."))
                elif email is None:
                    problems.add("users.csv", line, "email", _(
                        "“%(value)s” is not a valid email address."
                    ) % {"value": email_of(row)})
                elif email in emails:
                    problems.add("users.csv", line, "email", _(
                        "%(email)s is also the email address on row %(row)s."
                    ) % {"email": email, "row": emails[email]})
                else:
                    emails[email] = line
                org_ids = split_list(orgs_of(row))
                if not org_ids:
                    problems.add("users.csv", line, "orgSourcedIds",
                                 _("At least one org is required."))
                for org_id in org_ids:
                    if not self._org_known(org_id):
                        problems.add("users.csv", line, "orgSourcedIds", unknown_org(org_id))
                if problems.count > count:
                    continue
                school_key = next((o for o in org_ids if o in self.school_ids
                                   or o in self.known_school_ids), None)
                grades, subjects = taught.get(sid, (None, None))
                yield PersonRecord(
                    file="users.csv", row=line, sourced_id=sid, email=email,
                    display_name=name[:150], school_key=school_key,
                    job_title=STAFF_ROLES[role], title_from_role=True,
                    grades=sorted_grades(grades) if grades else None,
                    subjects=tuple(sorted(subjects)) if subjects else None,
                    active=enabled and status_of(row).lower() != "tobedeleted",
                )


def duplicate(sid, first_line):
    return _("The sourced id “%(id)s” is also on row %(row)s.") % {"id": sid, "row": first_line}


def unknown_org(org_id):
    return _("No org in orgs.csv (and no school of the district) has the sourced id "
             "“%(id)s”.") % {"id": org_id}
