"""A large OneRoster 1.1 CSV set, written row by row (nothing is held in memory)."""

import csv
import random
from pathlib import Path

SUBJECTS = ["Mathematics", "English Language Arts", "Science", "Social Studies", "Art",
            "Music", "Physical Education", "World Languages"]
GRADES = ["KG", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]


def write_set(path, *, staff=50_000, schools=600, classes_per_teacher=3, seed=2026):
    """Write manifest, orgs, academicSessions, courses, classes, users and enrollments
    CSVs into `path`: `staff` people (about 90% teachers, the rest administrators and
    aides) across `schools` schools. Returns a dict of what was written."""
    rng = random.Random(seed)
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    counts = {}

    def table(name, header):
        handle = open(path / name, "w", newline="", encoding="utf-8")  # noqa: SIM115
        writer = csv.writer(handle)
        writer.writerow(header)
        return handle, writer

    handle, w = table("manifest.csv", ["propertyName", "value"])
    for row in [("manifest.version", "1.0"), ("oneroster.version", "1.1"),
                ("file.academicSessions", "bulk"), ("file.categories", "absent"),
                ("file.classes", "bulk"), ("file.classResources", "absent"),
                ("file.courses", "bulk"), ("file.courseResources", "absent"),
                ("file.demographics", "absent"), ("file.enrollments", "bulk"),
                ("file.lineItems", "absent"), ("file.orgs", "bulk"),
                ("file.resources", "absent"), ("file.results", "absent"),
                ("file.users", "bulk")]:
        w.writerow(row)
    handle.close()

    handle, w = table("academicSessions.csv", ["sourcedId", "status", "dateLastModified",
                                               "title", "type", "startDate", "endDate",
                                               "parentSourcedId", "schoolYear"])
    w.writerow(["year-2026", "", "", "2026-27", "schoolYear", "2026-08-17", "2027-06-11",
                "", "2027"])
    handle.close()

    handle, w = table("orgs.csv", ["sourcedId", "status", "dateLastModified", "name", "type",
                                   "identifier", "parentSourcedId"])
    w.writerow(["district", "", "", "Benchmark Unified", "district", "BU", ""])
    for s in range(schools):
        w.writerow([f"org-{s:04d}", "", "", f"Benchmark School {s:04d}", "school",
                    f"BS{s:04d}", "district"])
    handle.close()
    counts["schools"] = schools

    handle, w = table("courses.csv", ["sourcedId", "status", "dateLastModified",
                                      "schoolYearSourcedId", "title", "courseCode", "grades",
                                      "orgSourcedId", "subjects", "subjectCodes"])
    for s in range(schools):
        for grade in GRADES:
            for subject in SUBJECTS:
                w.writerow([f"course-{s:04d}-{grade}-{subject[:4]}", "", "", "year-2026",
                            f"{subject} {grade}", "", grade, f"org-{s:04d}", subject, ""])
    handle.close()
    counts["courses"] = schools * len(GRADES) * len(SUBJECTS)

    classes = open(path / "classes.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
    enrollments = open(path / "enrollments.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
    users = open(path / "users.csv", "w", newline="", encoding="utf-8")  # noqa: SIM115
    cw, ew, uw = csv.writer(classes), csv.writer(enrollments), csv.writer(users)
    cw.writerow(["sourcedId", "status", "dateLastModified", "title", "grades",
                 "courseSourcedId", "classCode", "classType", "location", "schoolSourcedId",
                 "termSourcedIds", "subjects", "subjectCodes", "periods"])
    ew.writerow(["sourcedId", "status", "dateLastModified", "classSourcedId",
                 "schoolSourcedId", "userSourcedId", "role", "primary", "beginDate",
                 "endDate"])
    uw.writerow(["sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds",
                 "role", "username", "userIds", "givenName", "familyName", "middleName",
                 "identifier", "email", "sms", "phone", "agentSourcedIds", "grades",
                 "password"])
    n_classes = n_enrollments = 0
    for p in range(staff):
        school = f"org-{p % schools:04d}"
        draw = rng.random()
        role = "teacher" if draw < 0.9 else "administrator" if draw < 0.95 else "aide"
        sid = f"staff-{p:06d}"
        uw.writerow([sid, "", "", "true", f"{school},district", role,
                     f"staff{p}@bench.example.org", "", f"Given{p}", f"Family{p}", "", sid,
                     f"Staff{p}@Bench.Example.org", "", "", "", "", ""])
        if role != "teacher":
            continue
        grade = rng.choice(GRADES)
        for c in range(classes_per_teacher):
            subject = SUBJECTS[(p + c) % len(SUBJECTS)]
            course = f"course-{school[4:]}-{grade}-{subject[:4]}"
            klass = f"class-{p:06d}-{c}"
            cw.writerow([klass, "", "", f"{subject} {grade}", "", course, "", "scheduled",
                         "", school, "year-2026", "", "", ""])
            ew.writerow([f"enr-{klass}", "", "", klass, school, sid, "teacher", "true", "",
                         ""])
            n_classes += 1
            n_enrollments += 1
    for handle in (classes, enrollments, users):
        handle.close()
    counts.update(staff=staff, classes=n_classes, enrollments=n_enrollments)
    return counts
