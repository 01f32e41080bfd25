"""A district at full size, for measuring the dashboards: by default 50,000 teachers in 600
schools, 50 programs with 25,000 pairings between them (the largest a few thousand), and a
school year of activity: about 450,000 check-ins, 75,000 observation cycles with their
notes (150,000 by early December), 50,000 goals and 250,000 reflections, with time logs and
badges: about a million rows. Activity runs through the whole year; what lies ahead of
today is scheduled, not held. A lighter previous
school year (programs and pairings) and the staff lists of both years give retention
figures.

Rows are written by PostgreSQL itself (INSERT ... SELECT over generate_series), so the
whole district takes minutes. The words in it are placeholders: nobody's writing."""

import time
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import District, DistrictRole, School, StaffProfile, User
from dashboards.models import school_year_label
from dashboards.staff_years import current_school_year
from programs.models import Participant, Program
from programs.presets import PRESETS, MatchedBy, ProgramModel

# Placeholders, so nobody mistakes a seeded row for a teacher's words.
PLACEHOLDER = "Seeded for measuring; not written by anyone."
MODELS = [ProgramModel.ONE_ON_ONE, ProgramModel.GROUP, ProgramModel.PEER,
          ProgramModel.DISTRICT_BASED, ProgramModel.LEARNING_TEAM, ProgramModel.COHORT,
          ProgramModel.REVERSE, ProgramModel.PEER_COLLABORATION]


def program_sizes(total, count, skew=0.8):
    """`count` program sizes adding up to `total`, a few large and many small."""
    weights = [1 / (rank + 1) ** skew for rank in range(count)]
    scale = total / sum(weights)
    sizes = [max(1, int(weight * scale)) for weight in weights]
    sizes[0] += total - sum(sizes)
    return sizes


class Command(BaseCommand):
    help = ("Generate a district at full scale (PostgreSQL only) for the dashboards "
            "benchmark. Prints what it made and how long it took.")

    def add_arguments(self, parser):
        parser.add_argument("--teachers", type=int, default=50_000)
        parser.add_argument("--schools", type=int, default=600)
        parser.add_argument("--pairings", type=int, default=25_000)
        parser.add_argument("--programs", type=int, default=50)
        parser.add_argument("--checkins", type=int, default=18,
                            help="check-ins per pairing over the year, on average")
        parser.add_argument("--cycles", type=int, default=3, help="observation cycles per pairing")
        parser.add_argument("--reflections", type=int, default=10, help="per mentee")
        parser.add_argument("--notes", type=int, default=6, help="per observed cycle")
        parser.add_argument("--school-year", help="default: the current one, e.g. 2026-27")
        parser.add_argument("--name", default="Scale district")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("seed_scale writes with PostgreSQL's generate_series; point "
                               "DATABASE_URL at PostgreSQL.")
        if options["pairings"] * 2 > options["teachers"]:
            raise CommandError("--pairings may be at most half of --teachers.")
        started = time.monotonic()
        self.timings = []
        year = options["school_year"] or current_school_year()
        first = int(year[:4])
        with transaction.atomic():
            district, made = self.seed(options, first)
        with connection.cursor() as cursor:
            # What autovacuum does to a live database over time: statistics for the
            # planner and the visibility map that lets index-only scans skip the tables.
            # VACUUM cannot run inside a caller's transaction; statistics still can.
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
        self.stdout.write(f"District {district.pk} “{district.name}”, school year "
                          f"{school_year_label(first)} (and {school_year_label(first - 1)}):")
        for label, count in made.items():
            self.stdout.write(f"  {count:>10,} {label}")
        for label, seconds in self.timings:
            self.stdout.write(f"  {seconds:>9.1f} s {label}")
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")

    def step(self, label, sql, params=()):
        began = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            count = cursor.rowcount
        self.timings.append((label, time.monotonic() - began))
        return count

    def seed(self, options, first):
        teachers, school_count = options["teachers"], options["schools"]
        pairings = options["pairings"]
        left = max(1, teachers // 10)  # taught last year, gone this year
        now = timezone.now()
        district = District.objects.create(name=options["name"], time_zone="America/Chicago")
        tag = f"d{district.pk}"
        schools = School.objects.bulk_create(
            [School(district=district, name=f"School {i + 1:03d}", code=f"S{i + 1:04d}")
             for i in range(school_count)])
        school_ids = [school.pk for school in schools]
        made = {"schools": len(schools)}

        # Teachers: g = 1..teachers teach now; the next `left` taught last year only.
        made["teachers (and former teachers)"] = self.step("teachers", """
            INSERT INTO accounts_user (password, is_superuser, email, display_name,
                preferred_language, is_staff, is_active, date_joined, district_id)
            SELECT '!', false, 'teacher' || g || '.' || %(tag)s || '@example.invalid',
                   'Teacher ' || g, 'en', false, g <= %(teachers)s, now(), %(district)s
            FROM generate_series(1, %(everyone)s) g""",
            {"tag": tag, "teachers": teachers, "everyone": teachers + left,
             "district": district.pk})
        self.step("people table", """
            CREATE TEMP TABLE seed_people ON COMMIT DROP AS
            SELECT u.id AS user_id, split_part(substr(u.email, 8), '.', 1)::int AS g
            FROM accounts_user u WHERE u.district_id = %s AND u.email LIKE 'teacher%%'""",
            [district.pk])
        self.step("people index", "CREATE INDEX ON seed_people (g)")
        # Mentees (the first `pairings` teachers) are new or early career; mentors (the
        # next half as many) established or experienced; the rest anything.
        mentors = max(1, pairings // 2)
        self.step("staff profiles", """
            INSERT INTO accounts_staffprofile (sourced_id, job_title, years_of_experience,
                grades_taught, languages, user_id, school_id)
            SELECT '', 'Teacher',
                   CASE WHEN g <= %(pairings)s THEN g %% 4
                        WHEN g <= %(pairings)s + %(mentors)s THEN 5 + g %% 25
                        ELSE g %% 31 END,
                   '[]', '["en"]', user_id, (%(schools)s::bigint[])[1 + (g * 7) %% %(count)s]
            FROM seed_people""",
            {"pairings": pairings, "mentors": mentors, "schools": school_ids,
             "count": len(school_ids)})

        sizes = program_sizes(pairings, options["programs"])
        programs = self.make_programs(district, first, sizes, current=True)
        previous_sizes = program_sizes(max(1, int(pairings * 0.4)), max(1, len(sizes) // 3))
        previous = self.make_programs(district, first - 1, previous_sizes, current=False)
        made["programs"] = len(programs) + len(previous)
        # Last year's mentees run from this year's end of the pool into the teachers who left.
        previous_start = teachers + left - sum(previous_sizes) + 1
        self.step("ranges", """
            CREATE TEMP TABLE seed_ranges (program_id bigint, first_g int, last_g int,
                mentor_first int, mentor_count int, starts_on date, ends_on date,
                current boolean, coordinator_g int) ON COMMIT DROP""")
        rows = []
        start, mentor_start = 1, pairings + 1
        for index, (program, size) in enumerate(zip(programs, sizes, strict=True)):
            count = max(1, size // 2)
            rows.append((program.pk, start, start + size - 1, mentor_start, count,
                         program.starts_on, program.ends_on, True,
                         pairings + mentors + 1 + index))
            start += size
            mentor_start += count
        start = previous_start
        for program, size in zip(previous, previous_sizes, strict=True):
            count = max(1, size // 2)
            rows.append((program.pk, start, start + size - 1, pairings + 1, count,
                         program.starts_on, program.ends_on, False, None))
            start += size
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO seed_ranges VALUES (%s, %s, %s, %s, %s, %s, %s, "
                               "%s, %s)", rows)

        self.step("statistics", "ANALYZE seed_people; ANALYZE seed_ranges; "
                  "ANALYZE accounts_staffprofile")
        made["participants"] = self.step("participants", """
            INSERT INTO programs_participant (role, status, created_at, updated_at, user_id,
                program_id, school_id)
            SELECT role, 'active', now(), now(), p.user_id, r.program_id, s.school_id
            FROM seed_ranges r
            JOIN LATERAL (
                SELECT 'mentee' AS role, g FROM generate_series(r.first_g, r.last_g) g
                UNION ALL
                SELECT 'mentor', g FROM generate_series(r.mentor_first,
                                                        r.mentor_first + r.mentor_count - 1) g
                UNION ALL
                SELECT 'coordinator', r.coordinator_g WHERE r.coordinator_g IS NOT NULL
            ) who ON true
            JOIN seed_people p ON p.g = who.g
            JOIN accounts_staffprofile s ON s.user_id = p.user_id""")
        # Fresh tables have no statistics: without them the planner joins row by row.
        self.step("statistics", "ANALYZE programs_participant")
        made["pairings"] = self.step("pairings", """
            INSERT INTO pairing_pairing (status, breakdown, locked, overridden, end_reason,
                created_at, updated_at, program_id, mentor_id, mentee_id, started_on, ended_on,
                next_checkin_due_on)
            SELECT CASE WHEN NOT r.current THEN 'ended' WHEN m.g %% 20 = 0 THEN 'ended'
                        ELSE 'active' END,
                   '{}', false, false,
                   CASE WHEN NOT r.current THEN 'completed' WHEN m.g %% 20 = 0
                        THEN 'left_program' ELSE '' END,
                   now(), now(), r.program_id, mentor.id, mentee.id, r.starts_on + 14,
                   CASE WHEN NOT r.current THEN r.ends_on WHEN m.g %% 20 = 0
                        THEN r.starts_on + 60 END,
                   CASE WHEN r.current AND m.g %% 20 <> 0
                        THEN %(today)s::date + (m.g %% 21 - 7) END
            FROM seed_ranges r
            JOIN LATERAL generate_series(r.first_g, r.last_g) AS m(g) ON true
            JOIN seed_people mp ON mp.g = m.g
            JOIN programs_participant mentee ON mentee.program_id = r.program_id
                 AND mentee.user_id = mp.user_id AND mentee.role = 'mentee'
            JOIN seed_people tp ON tp.g = r.mentor_first + (m.g - r.first_g) %% r.mentor_count
            JOIN programs_participant mentor ON mentor.program_id = r.program_id
                 AND mentor.user_id = tp.user_id AND mentor.role = 'mentor'""",
            {"today": now.date()})
        self.step("pairing table", """
            CREATE TEMP TABLE seed_pairings ON COMMIT DROP AS
            SELECT p.id, p.program_id, p.mentee_id, mentee.user_id AS mentee_user,
                   mentor.user_id AS mentor_user, r.starts_on, r.ends_on,
                   row_number() OVER (ORDER BY p.id) AS k
            FROM pairing_pairing p JOIN seed_ranges r ON r.program_id = p.program_id
            JOIN programs_participant mentee ON mentee.id = p.mentee_id
            JOIN programs_participant mentor ON mentor.id = p.mentor_id
            WHERE r.current""")
        self.step("statistics", "ANALYZE seed_pairings; ANALYZE pairing_pairing")
        span = {"now": now, "checkins": options["checkins"]}
        made["check-ins"] = self.step("check-ins", """
            INSERT INTO pairing_checkin (scheduled_at, duration_minutes, mode, location,
                video_url, status, minutes_spent, topics, whats_working, challenges, sequence,
                created_at, updated_at, pairing_id, scheduled_by_id)
            SELECT at, 30, 'in_person', '', '',
                   CASE WHEN at > %(now)s THEN 'scheduled' WHEN (k + j) %% 7 = 0 THEN 'missed'
                        ELSE 'held' END,
                   CASE WHEN at <= %(now)s AND (k + j) %% 7 <> 0 THEN 30 END,
                   '', '', '', 0, at - interval '7 days', at, id, mentor_user
            FROM seed_pairings
            JOIN LATERAL generate_series(1, %(checkins)s - 4 + (k %% 9)::int) j ON true
            CROSS JOIN LATERAL (SELECT (starts_on + 14 + j * ((ends_on - starts_on - 14)
                / (%(checkins)s + 5)))::timestamptz + interval '15 hours' AS at) t
            -- One pairing in twenty stops meeting after two months: the at-risk list's share.
            WHERE NOT (k %% 20 = 10 AND at > starts_on + 60)""", span)
        version = self.template_version_id()
        made["observation cycles"] = self.step("observation cycles", """
            INSERT INTO observations_observationcycle (kind, stage, due_on, focus,
                lesson_context, scheduled_at, duration_minutes, location, observed_at,
                closed_at, created_at, updated_at, mentee_id, mentor_id, pairing_id, program_id,
                template_version_id, sequence)
            SELECT 'mentor_observes', CASE WHEN at + interval '21 days' < %(now)s THEN 'closed'
                                          ELSE 'planning' END,
                   (at + interval '7 days')::date, '', '', at, 45, '',
                   CASE WHEN at < %(now)s THEN at END,
                   CASE WHEN at + interval '21 days' < %(now)s THEN at + interval '21 days' END,
                   at - interval '14 days', at, mentee_user, mentor_user, id, program_id,
                   %(version)s, 0
            FROM seed_pairings
            JOIN LATERAL generate_series(1, %(cycles)s) j ON true
            CROSS JOIN LATERAL (SELECT (starts_on + 30 + j * ((ends_on - starts_on - 30)
                / (%(cycles)s + 1)))::timestamptz + interval '10 hours' AS at) t""",
            {**span, "version": version, "cycles": options["cycles"]})
        made["observation notes"] = self.step("observation notes", """
            INSERT INTO observations_observationnote (client_id, text, noted_at, created_at,
                cycle_id, author_id)
            SELECT gen_random_uuid(), %(text)s, c.scheduled_at + j * interval '5 minutes',
                   c.scheduled_at, c.id, c.mentor_id
            FROM observations_observationcycle c
            JOIN seed_ranges r ON r.program_id = c.program_id
            JOIN LATERAL generate_series(1, %(notes)s) j ON true
            WHERE c.observed_at IS NOT NULL""", {"text": PLACEHOLDER, "notes": options["notes"]})
        made["goals"] = self.step("goals", """
            INSERT INTO goals_goal (specific, measure, unit, relevance, due_on, state,
                dropped_reason, achieved_on, celebrate_in_group, created_at, updated_at,
                participant_id, created_by_id)
            SELECT %(text)s, 'A count', '', '', ends_on - 30,
                   CASE WHEN (k + j) %% 3 = 0 AND starts_on + 120 < %(now)s::date
                        THEN 'achieved' ELSE 'active' END, '',
                   CASE WHEN (k + j) %% 3 = 0 AND starts_on + 120 < %(now)s::date
                        THEN starts_on + 60 + ((k * 7 + j * 13) %% 60)::int END,
                   false, starts_on::timestamptz + interval '20 days',
                   starts_on::timestamptz + interval '20 days', mentee_id, mentee_user
            FROM seed_pairings JOIN LATERAL generate_series(1, 2) j ON true""",
            {**span, "text": PLACEHOLDER})
        made["reflections"] = self.step("reflections", """
            INSERT INTO goals_reflection (body, confidence, visibility, created_at, updated_at,
                author_id, program_id)
            SELECT %(text)s,
                   LEAST(5, GREATEST(1, 2 + (j * 3) / %(reflections)s + (k %% 3)::int - 1)),
                   CASE WHEN j %% 3 = 0 THEN 'mentor' ELSE 'private' END, at, at,
                   mentee_user, program_id
            FROM seed_pairings
            JOIN LATERAL generate_series(1, %(reflections)s) j ON true
            CROSS JOIN LATERAL (SELECT starts_on::timestamptz + interval '9 hours'
                + (LEAST(%(now)s::date, ends_on) - starts_on) * j / (%(reflections)s + 1)
                * interval '1 day' AS at) t""",
            {**span, "text": PLACEHOLDER, "reflections": options["reflections"]})
        made["time logs"] = self.step("time logs", """
            INSERT INTO programs_timelog (date, minutes, kind, note, created_at, program_id,
                user_id, logged_by_id)
            SELECT day, CASE WHEN j %% 2 = 0 THEN 60 ELSE 30 END,
                   CASE WHEN j %% 2 = 0 THEN 'release' ELSE 'planning' END, '', now(),
                   program_id, who, who
            FROM seed_pairings
            JOIN LATERAL generate_series(1, 4) j ON true
            CROSS JOIN LATERAL (SELECT CASE WHEN j <= 2 THEN mentor_user ELSE mentee_user END
                AS who, starts_on + 20 + j * 40 AS day) t
            WHERE day <= %(now)s::date""", span)
        made["badges awarded"] = self.step("badges", """
            WITH badge AS (
                INSERT INTO portfolio_badge (public_id, name, description, criteria, criterion,
                    threshold, color, active, created_at, updated_at, district_id)
                VALUES (gen_random_uuid(), 'Steady year', %(text)s, %(text)s, 'manual', 1,
                        '#0d6efd', true, now(), now(), %(district)s)
                RETURNING id)
            INSERT INTO portfolio_award (public_id, method, evidence, issued_at, salt, identity,
                revocation_reason, recipient_id, badge_id)
            SELECT gen_random_uuid(), 'manual', '', starts_on::timestamptz + interval '100 days',
                   md5(k::text), 'sha256$' || md5(mentee_user::text), '', mentee_user, badge.id
            FROM seed_pairings, badge
            WHERE k %% 10 = 0 AND starts_on + 100 < %(now)s::date""",
            {**span, "text": PLACEHOLDER, "district": district.pk})
        made["staff-list rows"] = self.step("staff lists", """
            INSERT INTO dashboards_staffyear (school_year, career_stage, recorded_at,
                district_id, user_id, school_id)
            SELECT y.label, CASE WHEN s.years_of_experience - y.back = 0 THEN 'new'
                                 WHEN s.years_of_experience - y.back <= 3 THEN 'early'
                                 WHEN s.years_of_experience - y.back <= 9 THEN 'established'
                                 ELSE 'experienced' END,
                   now(), %(district)s, p.user_id, s.school_id
            FROM seed_people p JOIN accounts_staffprofile s ON s.user_id = p.user_id
            JOIN (VALUES (%(this)s, 0, %(teachers)s), (%(last)s, 1, %(everyone)s))
                AS y(label, back, upto) ON p.g <= y.upto
            WHERE s.years_of_experience >= y.back""",
            {"district": district.pk, "this": school_year_label(first),
             "last": school_year_label(first - 1), "teachers": teachers,
             "everyone": teachers + left})
        self.make_admins(district, schools[0], programs[0])
        made["administrators"] = 2
        return district, made

    def make_programs(self, district, first, sizes, *, current):
        starts, ends = date(first, 8, 17), date(first + 1, 6, 11)
        status = Program.Status.RUNNING if current else Program.Status.CLOSED
        made = []
        for index, size in enumerate(sizes):
            model = MODELS[index % len(MODELS)]
            preset = dict(PRESETS[model])
            if preset["matched_by"] == MatchedBy.SCHOOL_REP:
                preset["matched_by"] = MatchedBy.COORDINATOR
            made.append(Program(
                district=district, name=f"{ProgramModel(model).label} {first} #{index + 1} "
                f"({size} pairs)", model=model, status=status, aims=PLACEHOLDER,
                school_year=school_year_label(first), starts_on=starts, ends_on=ends,
                **preset))
        return Program.objects.bulk_create(made)

    def template_version_id(self):
        from observations.demo import generic_version

        return generic_version().pk

    def make_admins(self, district, school, program):
        """A district admin and a school admin with an authenticator app, as the real ones
        must have; their addresses say which district they belong to."""
        from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

        district_admin = User.objects.create_user(
            f"district.admin.d{district.pk}@example.invalid", display_name="District admin",
            district=district)
        DistrictRole.objects.create(user=district_admin, district=district,
                                    role=DistrictRole.Role.DISTRICT_ADMIN)
        school_admin = User.objects.create_user(
            f"school.admin.d{district.pk}@example.invalid", display_name="School admin",
            district=district)
        StaffProfile.objects.create(user=school_admin, school=school, years_of_experience=12)
        DistrictRole.objects.create(user=school_admin, district=district, school=school,
                                    role=DistrictRole.Role.SCHOOL_ADMIN)
        for admin in (district_admin, school_admin):
            TOTP.activate(admin, generate_totp_secret())
        return district_admin, school_admin


def seeded_people(district):
    """The people a benchmark signs in as: the admins, and the mentee, mentor and
    coordinator of the largest program."""
    largest = (Program.objects.filter(district=district, status=Program.Status.RUNNING)
               .order_by("pk").first())
    pairing = largest.pairings.filter(status="active").select_related(
        "mentor__user", "mentee__user").order_by("pk").first()
    coordinator = Participant.objects.filter(program=largest, role="coordinator").first()
    return {
        "district_admin": User.objects.get(email=f"district.admin.d{district.pk}@example.invalid"),
        "school_admin": User.objects.get(email=f"school.admin.d{district.pk}@example.invalid"),
        "mentee": pairing.mentee.user, "mentor": pairing.mentor.user,
        "coordinator": coordinator.user if coordinator else None, "program": largest,
    }

