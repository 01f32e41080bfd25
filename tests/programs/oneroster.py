"""Small OneRoster 1.1 CSV sets for tests, built as rows that a test can change, then
written out as a directory or a zip."""

import csv
import io
import zipfile
from pathlib import Path

COLUMNS = {
    "manifest.csv": ["propertyName", "value"],
    "orgs.csv": ["sourcedId", "status", "dateLastModified", "name", "type", "identifier",
                 "parentSourcedId"],
    "academicSessions.csv": ["sourcedId", "status", "dateLastModified", "title", "type",
                             "startDate", "endDate", "parentSourcedId", "schoolYear"],
    "courses.csv": ["sourcedId", "status", "dateLastModified", "schoolYearSourcedId", "title",
                    "courseCode", "grades", "orgSourcedId", "subjects", "subjectCodes"],
    "classes.csv": ["sourcedId", "status", "dateLastModified", "title", "grades",
                    "courseSourcedId", "classCode", "classType", "location", "schoolSourcedId",
                    "termSourcedIds", "subjects", "subjectCodes", "periods"],
    "users.csv": ["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds",
                  "role", "username", "userIds", "givenName", "familyName", "middleName",
                  "identifier", "email", "sms", "phone", "agentSourcedIds", "grades",
                  "password"],
    "enrollments.csv": ["sourcedId", "status", "dateLastModified", "classSourcedId",
                        "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate",
                        "endDate"],
}
SUBJECTS = [("Mathematics", "Math"), ("English Language Arts", "Reading")]


class OneRosterSet:
    """A district org, `schools` schools, each with `teachers` teachers (each teaching a
    grade's mathematics and reading), an administrator, and two students; one aide."""

    def __init__(self, schools=2, teachers=2, domain="district.example.org"):
        self.files = {name: [] for name in COLUMNS}
        self.manifest = {"manifest.version": "1.0", "oneroster.version": "1.1",
                         "file.academicSessions": "bulk", "file.categories": "absent",
                         "file.classes": "bulk", "file.classResources": "absent",
                         "file.courses": "bulk", "file.courseResources": "absent",
                         "file.demographics": "absent", "file.enrollments": "bulk",
                         "file.lineItems": "absent", "file.orgs": "bulk",
                         "file.resources": "absent", "file.results": "absent",
                         "file.users": "bulk"}
        self.add("orgs.csv", sourcedId="district-1", name="Test District", type="district")
        self.add("academicSessions.csv", sourcedId="year-2026", title="2026-27",
                 type="schoolYear", startDate="2026-08-17", endDate="2027-06-11",
                 schoolYear="2027")
        for s in range(1, schools + 1):
            org = f"school-{s}"
            self.add("orgs.csv", sourcedId=org, name=f"School Number {s}", type="school",
                     identifier=f"SCH{s:03d}", parentSourcedId="district-1")
            for t in range(1, teachers + 1):
                grade = f"{(t - 1) % 12 + 1:02d}"
                teacher = self.add_person(f"t-{s}-{t}", org, "teacher", f"Teacher{t}",
                                          f"School{s}", f"teacher.{s}.{t}@{domain}")
                for subject, short in SUBJECTS:
                    course = f"course-{s}-{short}-{grade}"
                    if not any(c["sourcedId"] == course for c in self.files["courses.csv"]):
                        self.add("courses.csv", sourcedId=course, title=f"{short} {grade}",
                                 schoolYearSourcedId="year-2026", grades=grade,
                                 orgSourcedId=org, subjects=subject)
                    klass = f"class-{s}-{t}-{short}"
                    self.add("classes.csv", sourcedId=klass, title=f"{short} {grade}",
                             courseSourcedId=course, classType="scheduled",
                             schoolSourcedId=org, termSourcedIds="year-2026")
                    self.enrol(klass, org, teacher, "teacher")
            self.add_person(f"a-{s}", org, "administrator", "Principal", f"School{s}",
                            f"principal.{s}@{domain}")
            for n in range(1, 3):
                student = self.add_person(f"st-{s}-{n}", org, "student", f"Student{n}",
                                          f"School{s}", f"student.{s}.{n}@{domain}")
                self.enrol(f"class-{s}-1-Math", org, student, "student")
        self.add_person("aide-1", "school-1", "aide", "Helpful", "Aide", f"aide@{domain}")

    def add(self, file, **values):
        row = {**dict.fromkeys(COLUMNS[file], ""), **values}
        self.files[file].append(row)
        return row["sourcedId"]

    def add_person(self, sourced_id, orgs, role, given, family, email):
        return self.add("users.csv", sourcedId=sourced_id, enabledUser="true",
                        orgSourcedIds=orgs, role=role, username=email, givenName=given,
                        familyName=family, email=email)

    def enrol(self, klass, org, user, role):
        self.add("enrollments.csv", sourcedId=f"enr-{klass}-{user}", classSourcedId=klass,
                 schoolSourcedId=org, userSourcedId=user, role=role)

    def user(self, sourced_id):
        return next(r for r in self.files["users.csv"] if r["sourcedId"] == sourced_id)

    def remove_user(self, sourced_id):
        self.files["users.csv"].remove(self.user(sourced_id))
        self.files["enrollments.csv"] = [r for r in self.files["enrollments.csv"]
                                         if r["userSourcedId"] != sourced_id]

    def csv_text(self, file, columns=None):
        out = io.StringIO()
        columns = columns or COLUMNS.get(file) or ["propertyName", "value"]
        writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\r\n")
        writer.writeheader()
        rows = ([{"propertyName": k, "value": v} for k, v in self.manifest.items()]
                if file == "manifest.csv" else self.files[file])
        writer.writerows(rows)
        return out.getvalue()

    def texts(self, drop_columns=None, skip_files=()):
        """{file name: CSV text}; `drop_columns` maps a file to columns left out."""
        drop_columns = drop_columns or {}
        texts = {}
        for file in COLUMNS:
            if file in skip_files:
                continue
            columns = [c for c in COLUMNS[file] if c not in drop_columns.get(file, ())]
            texts[file] = self.csv_text(file, columns)
        return texts

    def write_dir(self, path, **options):
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, text in self.texts(**options).items():
            (path / name).write_text(text, encoding="utf-8")
        return path

    def zip_bytes(self, **options):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in self.texts(**options).items():
                archive.writestr(name, text)
        return buffer.getvalue()

    def write_zip(self, path, **options):
        Path(path).write_bytes(self.zip_bytes(**options))
        return Path(path)


def simple_csv(rows, columns=("staff_id", "email", "first_name", "last_name", "school_code",
                              "school_name", "job_title", "grades", "subjects", "active")):
    """The simple staff CSV from a list of dicts."""
    out = io.StringIO()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()
