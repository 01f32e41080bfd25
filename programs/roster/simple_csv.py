"""The simple staff CSV: one row per person, for districts without a OneRoster export.

Columns (the header row names them, in any order, in any case):

| column | required | meaning |
| --- | --- | --- |
| staff_id | yes | the person's id in your staff system; kept as their roster id |
| email | yes | their work email; they sign in with it |
| first_name, last_name | yes | |
| school_code | yes | the code of their school (as on the Schools page) |
| school_name | no | creates the school when no school has that code yet |
| job_title | no | blank keeps the title the person has |
| grades | no | grade codes PK, KG, 01 to 12, separated by commas or semicolons |
| subjects | no | separated by semicolons; new subjects are added to the district's list |
| active | no | yes or no (default yes); no marks the person inactive |

A blank grades, subjects or job_title keeps what the person has.
"""

from django.utils.translation import gettext as _

from .records import PersonRecord, SchoolRecord
from .source import open_table
from .values import clean_email, clean_subject, grade_code, sorted_grades, split_list, yes_no

FILE = "staff.csv"
REQUIRED = ("staff_id", "email", "first_name", "last_name", "school_code")
OPTIONAL = ("school_name", "job_title", "grades", "subjects", "active")


class SimpleCsvReader:
    school_keys = "code"
    id_column = "staff_id"

    def __init__(self, source, *, full_sync=True):
        self.source = source
        self.full_sync = full_sync
        self.label = getattr(source, "label", FILE)
        self.seen_ids = {}

    def read_schools(self, problems, *, known_school_ids, known_school_codes=()):
        self.known = set(known_school_codes) | set(known_school_ids)
        schools = {}
        with open_table(self.source, FILE, problems, required=REQUIRED,
                        label=self.label) as table:
            if table is None:
                return None
            code_of, name_of = table.getter("school_code"), table.getter("school_name")
            for line, row in table:
                code, name = code_of(row), name_of(row)
                if code and name and code not in schools and len(code) <= 32:
                    schools[code] = SchoolRecord(key=code, sourced_id="", code=code,
                                                 name=name[:200], file=self.label, row=line)
        self.named = set(schools)
        return list(schools.values())

    def read_people(self, problems):
        file = self.label
        ids, emails = self.seen_ids, {}
        with open_table(self.source, FILE, problems, required=REQUIRED, label=file) as table:
            if table is None:
                return
            sid_of, email_of, first_of, last_of, code_of = (table.getter(c) for c in REQUIRED)
            title_of, grades_of, subjects_of, active_of = (
                table.getter(c) for c in ("job_title", "grades", "subjects", "active"))
            for line, row in table:
                count = problems.count
                sid = sid_of(row)
                if not sid:
                    problems.add(file, line, "staff_id", _("A staff id is required."))
                elif sid in ids:
                    problems.add(file, line, "staff_id", _(
                        "The staff id “%(id)s” is also on row %(row)s."
                    ) % {"id": sid, "row": ids[sid]})
                else:
                    ids[sid] = line
                email = clean_email(email_of(row))
                if not email_of(row):
                    problems.add(file, line, "email", _(
                        "An email address is required: people sign in with it."))
                elif email is None:
                    problems.add(file, line, "email", _(
                        "“%(value)s” is not a valid email address."
                    ) % {"value": email_of(row)})
                elif email in emails:
                    problems.add(file, line, "email", _(
                        "%(email)s is also the email address on row %(row)s."
                    ) % {"email": email, "row": emails[email]})
                else:
                    emails[email] = line
                name = " ".join(filter(None, (first_of(row), last_of(row))))
                if not name:
                    problems.add(file, line, "first_name", _("A name is required."))
                code = code_of(row)
                if not code:
                    problems.add(file, line, "school_code", _("A school code is required."))
                elif code not in self.named and code not in self.known:
                    problems.add(file, line, "school_code", _(
                        "No school has the code “%(code)s”; add a school_name to create it."
                    ) % {"code": code})
                grades = []
                for value in split_list(grades_of(row)):
                    if grade_code(value) is None:
                        problems.add(file, line, "grades", _(
                            "“%(value)s” is not a grade code (PK, KG, 01 to 12)."
                        ) % {"value": value})
                    else:
                        grades.append(grade_code(value))
                active = yes_no(active_of(row)) if active_of(row) else True
                if active is None:
                    problems.add(file, line, "active", _(
                        "active must be yes or no, not “%(value)s”."
                    ) % {"value": active_of(row)})
                if problems.count > count:
                    continue
                subjects = sorted({clean_subject(s) for s in subjects_of(row).split(";")
                                   if s.strip()})
                yield PersonRecord(
                    file=file, row=line, sourced_id=sid, email=email,
                    display_name=name[:150], school_key=code,
                    job_title=title_of(row)[:120], title_from_role=False,
                    grades=sorted_grades(grades) if grades else None,
                    subjects=tuple(subjects) if subjects else None,
                    active=active,
                )
