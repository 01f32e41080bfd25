"""Every page of the product, opened in a real browser at desktop and phone width and
checked with axe: the journeys test what people do, this makes sure no page is left out.

A second test lists the project's named URLs: each one is a page visited here, or is
named below as something that is not a page (a form's POST target, an export, a partial
that htmx swaps into a page already checked) or as a page another journey checks."""

from datetime import date, datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from accounts.access import record_read
from observations.models import EvidenceFile
from pairing.models import CheckIn
from pairing.services import matching
from programs.models import Group, Participant, Program, RosterImport
from resources.services import edit_resource
from tests import factories
from tests.browser import check_accessibility, follow, sign_in
from tests.goals.factories import ProgressEntryFactory
from tests.observations.factories import CycleFactory, full_cycle, template_version
from tests.pairing.factories import CheckInFactory, NextStepFactory, PairingFactory
from tests.portfolio.factories import AwardFactory, BadgeFactory
from tests.programs.factories import (
    ApplicationFactory,
    GroupFactory,
    GroupMembershipFactory,
    GroupSessionFactory,
    HubPostFactory,
    ParticipantFactory,
    ProgramFactory,
    TimeLogFactory,
)
from tests.resources.factories import resource


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


# What is not a page of its own.
NOT_PAGES = {
    "goals:smart-check", "goals:goal-activate", "goals:goal-achieve", "goals:progress-add",
    "goals:evidence", "goals:step-add", "goals:step-done", "goals:comment-add",
    "goals:next-step-to-goal", "goals:program-goals-export", "goals:example-add",
    "goals:example-withdraw", "goals:prompt-schedule", "goals:reflection-reply",
    "goals:reflection-export",
    "observations:cycle-stage", "observations:note-add", "observations:ratings-save",
    "observations:evidence-add", "observations:evidence", "observations:share-revoke",
    "observations:next-step-action",
    "programs:status", "programs:participants-export", "programs:invitation-respond",
    "programs:hub-post", "programs:hub-reply", "programs:hub-remove", "programs:time-export",
    "programs:roster-import-apply", "programs:roster-import-status", "programs:session-restore",
    "resources:publish", "resources:author-add", "resources:author-remove",
    "resources:comment-add", "resources:feedback-add", "resources:endorse",
    "resources:file-add", "resources:file-remove", "resources:file",
    "resources:session-detach", "resources:checkin-detach", "accounts:invitation-revoke",
    "resources:debrief-step-detach", "resources:goal-step-detach",
    "accounts:access-log-export",
    "set_language",
    "pairing:exclusion-remove", "pairing:run-start", "pairing:run-approve",
    "pairing:run-discard", "pairing:proposal-swap", "pairing:proposal-lock", "pairing:run-return",
    "pairing:proposal-remove", "pairing:placement-approve", "pairing:pairing-status",
    "pairing:rematch-request", "pairing:rematch-answer", "pairing:checkin-cancel",
    "pairing:next-step-done", "pairing:calendar-feed", "pairing:checkin-ics",
    "pairing:session-ics", "pairing:window-ics", "observations:cycle-ics",
    "portfolio:award-revoke", "portfolio:award-reinstate", "portfolio:assertion-download",
    "portfolio:baked-image", "portfolio:awards-export", "portfolio:badge-check",
    "portfolio:assertion", "portfolio:badge-class", "portfolio:badge-image", "portfolio:issuer",
    "portfolio:portfolio-html", "portfolio:portfolio-json",
    "notifications:read", "notifications:read-all", "notifications:retry",
    "notifications:bell",
    "dashboards:program-health-export", "dashboards:district-export", "dashboards:hourly-cost",
    "surveys:question-add", "surveys:question-move", "surveys:survey-send",
    "surveys:survey-close", "surveys:survey-export",
}
# Pages that need a state of their own, checked by the journey named; and what the
# product does not offer.
OTHER_JOURNEYS = {
    "observations:cycle-start": "tests/observations/test_browser.py (a whole cycle)",
    "observations:debrief": "tests/observations/test_browser.py (a whole cycle)",
    "accounts:invitation-accept": "tests/accounts/test_browser.py (invitation journey)",
    "mfa_authenticate": "the second step of every admin's sign-in (tests/browser.py)",
    "account_set_password": "sends people who have a password to the change page",
    "mfa_download_recovery_codes": "a text file, not a page",
    "account_confirm_login_code": "sign-in by an emailed code is not offered",
    "dashboards:district": "tests/dashboards/test_impact_browser.py (figures in a district)",
    "dashboards:report": "tests/dashboards/test_impact_browser.py (figures in a district)",
}
OUR_NAMESPACES = {"goals", "observations", "portfolio", "", "accounts", "programs", "pairing",
                  "resources", "dashboards", "surveys", "notifications"}


def our_url_names():
    """Every named URL of the product's own apps (not allauth's or the Django admin's)."""
    names = set()

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or namespace
                if inner in OUR_NAMESPACES:
                    walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def world():
    """A running peer-collaboration program with a team, its session and hub, an
    application waiting, an enrolling program, a roster import and a shared resource."""
    school = factories.SchoolFactory(name="Lincoln Elementary")
    district = school.district
    admin = factories.district_admin(district, display_name="Dana Admin")
    member = factories.teacher(school, user__display_name="Ana Rivera")
    program = ProgramFactory(district=district, model="peer_collaboration",
                             status=Program.Status.RUNNING, name="Peer Teams",
                             starts_on=date(2026, 8, 17), ends_on=date(2027, 6, 11))
    ParticipantFactory(program=program, user=admin, role=Participant.Role.COORDINATOR)
    peer = ParticipantFactory(program=program, user=member, role=Participant.Role.PEER)
    application = ApplicationFactory(participant__program=program,
                                     participant__user=factories.teacher(school))
    team = GroupFactory(program=program, kind=Group.Kind.PEER_TEAM, name="Grade 2 team")
    GroupMembershipFactory(group=team, participant=peer)
    session = GroupSessionFactory(group=team)
    post = HubPostFactory(group=team, author=member)
    TimeLogFactory(program=program, user=member)
    ProgramFactory(district=district, model="district_based", name="Open Enrolment",
                   status=Program.Status.ENROLLING)
    roster = RosterImport.objects.create(
        district=district, uploaded_by=admin, format=RosterImport.Format.SIMPLE_CSV,
        state=RosterImport.State.INVALID, problem_count=1,
        problems=[{"file": "staff.csv", "row": 3, "column": "email",
                   "message": "“ann@” is not a valid email address."}])
    plan = resource(member, title="Ratio tables", body="Warm-up\nPractice")
    edit_resource(resource=plan, editor=member, base_version=1, title="Ratio tables",
                  body="Warm-up\nPractice\nExit ticket")
    # A one-on-one program: the member is paired with a mentor and they have met; three more
    # people wait for the matching, whose proposals are under review: one mentee is left over.
    induction = ProgramFactory(district=district, model="one_on_one", name="Induction",
                               starts_on=date(2026, 8, 17), ends_on=date(2027, 6, 11))
    ParticipantFactory(program=induction, user=admin, role=Participant.Role.COORDINATOR)
    pairing = PairingFactory(
        mentor=ParticipantFactory(program=induction, role=Participant.Role.MENTOR,
                                  user=factories.teacher(school, user__display_name="Mo Diaz")),
        mentee=ParticipantFactory(program=induction, user=member, role=Participant.Role.MENTEE))
    held = CheckInFactory(pairing=pairing, status=CheckIn.Status.HELD, minutes_spent=30,
                          scheduled_at=timezone.make_aware(datetime(2026, 10, 7, 15, 30)),
                          whats_working="Calm starts", topics="Routines")
    NextStepFactory(checkin=held)
    upcoming = CheckInFactory(pairing=pairing)
    for role in (Participant.Role.MENTOR, Participant.Role.MENTEE, Participant.Role.MENTEE):
        ParticipantFactory(program=induction, role=role, user=factories.teacher(school))
    proposal = matching.start_run(induction, admin, kind="pairs").proposals.get()
    record_read(admin, school, owner=member)
    badge = BadgeFactory(district=district, program=program, name="Team player")
    award = AwardFactory(badge=badge, recipient=member, method="manual", awarded_by=admin,
                         evidence="Ran the team's first release day")
    return {**goal_scene(pairing), **observation_scene(district, pairing),
            "badge": badge, "award": award,
            "school": school, "admin": admin, "member": member, "program": program,
            "peer": peer, "application": application, "team": team, "session": session,
            "post": post, "roster": roster, "plan": plan, "induction": induction,
            "pairing": pairing, "held": held, "upcoming": upcoming, "proposal": proposal}


def goal_scene(pairing):
    """The induction mentee's active goal with progress, a draft, and a shared reflection."""
    from goals.models import Goal, Reflection
    from tests.goals.factories import ExampleGoalFactory, GoalFactory, ProgressEntryFactory

    goal = GoalFactory(participant=pairing.mentee, specific="Calm starts after lunch")
    ProgressEntryFactory(goal=goal)
    ExampleGoalFactory(program=pairing.program)
    return {"goal": goal,
            "draft": GoalFactory(participant=pairing.mentee, state=Goal.State.DRAFT,
                                 specific="Get better at questioning"),
            "reflection": Reflection.objects.create(
                author=pairing.mentee.user, program=pairing.program, body="A calm week.",
                confidence=4, visibility=Reflection.Visibility.MENTOR)}


def observation_scene(district, pairing):
    """The district's observation template and the induction pair's cycles at each stage
    (the member is the mentee)."""
    version = template_version(district, name="Everyday practice",
                               levels=("Beginning", "Developing", "Established", "Extending"))
    return {"template": version.template,
            "planning": CycleFactory(pairing=pairing, template_version=version, look_fors=[]),
            "observing": CycleFactory(pairing=pairing, template_version=version,
                                      stage="observing", scheduled_at=timezone.now()),
            "reflecting": full_cycle(pairing, template_version=version, stage="reflection"),
            "closed": full_cycle(pairing, template_version=version)}


def pages(w):
    """(who, URL name, URL) for every page; `who` is whoever may open it."""
    p, team, session = w["program"].pk, w["team"].pk, w["session"].pk
    enrolling = Program.objects.get(name="Open Enrolment").pk
    plan = w["plan"].pk
    induction, pairing = w["induction"].pk, w["pairing"].pk
    admin = [
        ("home", reverse("home")),
        ("accounts:people", reverse("accounts:people")),
        ("accounts:person-detail", reverse("accounts:person-detail", args=[w["member"].pk])),
        ("accounts:profile", reverse("accounts:profile")),
        ("accounts:schools", reverse("accounts:schools")),
        ("accounts:school-detail", reverse("accounts:school-detail", args=[w["school"].pk])),
        ("accounts:invitations", reverse("accounts:invitations")),
        ("accounts:district-settings", reverse("accounts:district-settings")),
        ("accounts:access-log", reverse("accounts:access-log")),
        ("accounts:focus-areas", reverse("accounts:focus-areas")),
        ("programs:list", reverse("programs:list")),
        ("programs:create", reverse("programs:create")),
        ("programs:create", reverse("programs:create") + "?model=cohort"),
        ("programs:detail", reverse("programs:detail", args=[p])),
        ("programs:edit", reverse("programs:edit", args=[p])),
        ("programs:calendar", reverse("programs:calendar", args=[p])),
        ("programs:copy", reverse("programs:copy", args=[p])),
        ("programs:participants", reverse("programs:participants", args=[p])),
        ("programs:participant-add", reverse("programs:participant-add", args=[p])),
        ("programs:participant-edit",
         reverse("programs:participant-edit", args=[p, w["peer"].pk])),
        ("programs:applications", reverse("programs:applications", args=[p])),
        ("programs:application-detail",
         reverse("programs:application-detail", args=[p, w["application"].pk])),
        ("programs:groups", reverse("programs:groups", args=[p])),
        ("programs:group-create", reverse("programs:group-create", args=[p])),
        ("programs:group-detail", reverse("programs:group-detail", args=[p, team])),
        ("programs:group-edit", reverse("programs:group-edit", args=[p, team])),
        ("programs:session-create", reverse("programs:session-create", args=[p, team])),
        ("programs:session-detail", reverse("programs:session-detail", args=[p, session])),
        ("programs:session-edit", reverse("programs:session-edit", args=[p, session])),
        ("programs:session-record", reverse("programs:session-record", args=[p, session])),
        ("programs:session-cancel", reverse("programs:session-cancel", args=[p, session])),
        ("programs:time-summary", reverse("programs:time-summary", args=[p])),
        ("programs:roster-imports", reverse("programs:roster-imports")),
        ("programs:roster-import-new", reverse("programs:roster-import-new")),
        ("programs:roster-import", reverse("programs:roster-import", args=[w["roster"].pk])),
        ("resources:list", reverse("resources:list") + "?q=ratio"),
        ("resources:detail", reverse("resources:detail", args=[plan])),
        ("resources:versions", reverse("resources:versions", args=[plan])),
        ("resources:version-detail", reverse("resources:version-detail", args=[plan, 2])),
        ("resources:adapt", reverse("resources:adapt", args=[plan])),
        ("resources:session-attach",
         reverse("resources:session-attach", args=[p, session]) + "?q=ratio"),
        ("pairing:matching", reverse("pairing:matching", args=[induction])),
        ("pairing:matching-settings", reverse("pairing:matching-settings", args=[induction])),
        ("pairing:exclusions", reverse("pairing:exclusions", args=[induction])),
        ("pairing:proposal-change",
         reverse("pairing:proposal-change", args=[induction, w["proposal"].pk])),
        ("pairing:propose-partner",
         reverse("pairing:propose-partner", args=[induction, w["proposal"].run_id,
                                                  int(next(iter(w["proposal"].run.unmatched)))])),
        ("pairing:pairings", reverse("pairing:pairings", args=[induction]) + "?show=all"),
        ("pairing:pairing-detail", reverse("pairing:pairing-detail", args=[pairing])),
        ("dashboards:program-health", reverse("dashboards:program-health", args=[induction])),
    ]
    member = [
        ("programs:hub", reverse("programs:hub", args=[p, team])),
        ("programs:hub-edit", reverse("programs:hub-edit", args=[p, w["post"].pk])),
        ("programs:time", reverse("programs:time", args=[p])),
        ("programs:time-log", reverse("programs:time-log", args=[p])),
        ("programs:apply", reverse("programs:apply", args=[enrolling])),
        ("resources:create", reverse("resources:create")),
        ("resources:edit", reverse("resources:edit", args=[plan])),
        ("home", reverse("home")),
        ("pairing:pairing-detail", reverse("pairing:pairing-detail", args=[pairing])),
        ("pairing:checkin-create", reverse("pairing:checkin-create", args=[pairing])),
        ("pairing:checkin-detail", reverse("pairing:checkin-detail", args=[w["held"].pk])),
        ("resources:checkin-attach",
         reverse("resources:checkin-attach", args=[w["held"].pk]) + "?q=ratio"),
        ("pairing:checkin-edit", reverse("pairing:checkin-edit", args=[w["upcoming"].pk])),
        ("pairing:checkin-record",
         reverse("pairing:checkin-record", args=[w["upcoming"].pk])),
        ("pairing:calendar", reverse("pairing:calendar")),
    ]
    badge, award = w["badge"], w["award"]
    admin += [
        ("portfolio:badges", reverse("portfolio:badges")),
        ("portfolio:badge-create", reverse("portfolio:badge-create")),
        ("portfolio:badge-detail", reverse("portfolio:badge-detail", args=[badge.pk])),
        ("portfolio:badge-edit", reverse("portfolio:badge-edit", args=[badge.pk])),
        ("portfolio:award-create", reverse("portfolio:award-create", args=[badge.pk])),
        ("portfolio:award-detail", reverse("portfolio:award-detail", args=[award.pk])),
    ]
    member += [
        ("portfolio:my-badges", reverse("portfolio:my-badges")),
        ("portfolio:award-detail", reverse("portfolio:award-detail", args=[award.pk])),
        ("portfolio:certificate", reverse("portfolio:certificate", args=[award.pk])),
        ("portfolio:portfolio", reverse("portfolio:portfolio")),
    ]
    member += [
        ("account_email", reverse("account_email")),
        ("account_change_password", reverse("account_change_password")),
        ("account_reauthenticate", reverse("account_reauthenticate")),
        ("mfa_index", reverse("mfa_index")),
        ("mfa_activate_totp", reverse("mfa_activate_totp")),
        ("account_logout", reverse("account_logout")),  # asks first; GET signs nobody out
    ]
    admin += [
        ("mfa_reauthenticate", reverse("mfa_reauthenticate")),
        ("mfa_deactivate_totp", reverse("mfa_deactivate_totp")),
        ("mfa_generate_recovery_codes", reverse("mfa_generate_recovery_codes")),
    ]
    template, member_pk = w["template"].pk, w["member"].pk
    admin += [
        ("observations:coverage", reverse("observations:coverage", args=[induction])),
        ("observations:templates", reverse("observations:templates")),
        ("observations:template-create", reverse("observations:template-create")),
        ("observations:template-detail",
         reverse("observations:template-detail", args=[template])),
        ("observations:version-detail",
         reverse("observations:version-detail", args=[template, 1])),
        ("observations:template-edit", reverse("observations:template-edit", args=[template])),
    ]
    member += [
        ("observations:board", reverse("observations:board")),
        ("observations:cycle-detail",
         reverse("observations:cycle-detail", args=[w["closed"].pk])),
        ("observations:cycle-plan", reverse("observations:cycle-plan", args=[w["planning"].pk])),
        ("observations:cycle-observe",
         reverse("observations:cycle-observe", args=[w["observing"].pk])),
        ("observations:reflect", reverse("observations:reflect", args=[w["reflecting"].pk])),
        ("observations:sharing", reverse("observations:sharing", args=[w["closed"].pk])),
        ("observations:timeline", reverse("observations:timeline", args=[member_pk])),
        ("observations:trends", reverse("observations:trends", args=[member_pk])),
    ]
    anonymous = [
        ("account_login", reverse("account_login")),
        ("account_signup", reverse("account_signup")),
        ("account_reset_password", reverse("account_reset_password")),
        ("account_reset_password_done", reverse("account_reset_password_done")),
        ("account_reset_password_from_key",
         reverse("account_reset_password_from_key", kwargs={"uidb36": "1", "key": "bad"})),
        ("account_reset_password_from_key_done",
         reverse("account_reset_password_from_key_done")),
        ("account_confirm_email", reverse("account_confirm_email", kwargs={"key": "bad"})),
        ("account_email_verification_sent", reverse("account_email_verification_sent")),
        ("account_inactive", reverse("account_inactive")),
    ]
    anonymous.append(("portfolio:verify",
                      reverse("portfolio:verify", args=[w["award"].public_id])))
    from notifications.links import EVERY_KIND, unsubscribe_token

    anonymous.append(("notifications:unsubscribe", reverse(
        "notifications:unsubscribe", args=[unsubscribe_token(w["member"].pk, EVERY_KIND)])))
    admin += [
        ("notifications:district-outbox", reverse("notifications:district-outbox")),
        ("notifications:program-outbox",
         reverse("notifications:program-outbox", args=[induction]) + "?show=sent"),
    ]
    member += [
        ("notifications:list", reverse("notifications:list")),
        ("notifications:preferences", reverse("notifications:preferences")),
    ]
    goal, draft, entry = w["goal"].pk, w["draft"].pk, w["reflection"].pk
    admin += [
        ("goals:program-goals", reverse("goals:program-goals", args=[induction])),
        ("goals:program-prompts", reverse("goals:program-prompts", args=[induction])),
    ]
    member += [
        ("goals:goal-list", reverse("goals:goal-list")),
        ("goals:goal-create", reverse("goals:goal-create") + f"?program={induction}"),
        ("goals:goal-detail", reverse("goals:goal-detail", args=[goal])),
        ("goals:goal-revise", reverse("goals:goal-revise", args=[goal])),
        ("goals:goal-drop", reverse("goals:goal-drop", args=[goal])),
        ("goals:goal-edit", reverse("goals:goal-edit", args=[draft])),
        ("goals:reflection-list", reverse("goals:reflection-list")),
        ("goals:reflection-create", reverse("goals:reflection-create") + f"?program={induction}"),
        ("goals:reflection-detail", reverse("goals:reflection-detail", args=[entry])),
        ("goals:reflection-edit", reverse("goals:reflection-edit", args=[entry])),
    ]
    # Evidence the member added to their open cycle and goal, which they may remove.
    photo = EvidenceFile.objects.create(
        cycle=w["observing"], file=ContentFile(b"GIF89a", name="seating.gif"),
        original_name="seating.gif", content_type="image/gif", size=6, uploaded_by=w["member"])
    tally = ProgressEntryFactory(
        goal=w["goal"], evidence=ContentFile(b"%PDF-1.4", name="tally.pdf"),
        evidence_name="tally.pdf", evidence_type="application/pdf", evidence_size=8)
    member += [
        ("observations:evidence-remove",
         reverse("observations:evidence-remove", args=[photo.pk])),
        ("goals:evidence-remove", reverse("goals:evidence-remove", args=[tally.pk])),
    ]
    # Resources for the member's debrief next step and goal action step.
    from tests.goals.factories import ActionStepFactory

    action = ActionStepFactory(goal=w["goal"], description="Post the routine on the door")
    member += [
        ("resources:debrief-step-attach", reverse(
            "resources:debrief-step-attach",
            args=[w["closed"].debrief.next_steps.first().pk]) + "?q=ratio"),
        ("resources:goal-step-attach",
         reverse("resources:goal-step-attach", args=[action.pk]) + "?q=ratio"),
    ]
    admin_surveys, anonymous_surveys = survey_pages(w)
    admin += admin_surveys
    anonymous += anonymous_surveys
    return ([("anonymous", *row) for row in anonymous] + [("admin", *row) for row in admin]
            + [("member", *row) for row in member])


def survey_pages(w):
    """The induction program's surveys: a named one answered by its mentees, an anonymous
    one whose link the member has not used yet, and a draft."""
    from surveys import services
    from surveys.models import SurveyTemplate
    from surveys.shipped import ensure_shipped_templates

    ensure_shipped_templates()  # a browser test before this one emptied the tables
    induction, admin = w["induction"], w["admin"]
    named = services.create_survey(
        program=induction, created_by=admin, anonymous=False,
        template=SurveyTemplate.objects.get(key="program-feedback"),
        opens_on=induction.starts_on, closes_on=induction.ends_on)
    services.schedule_survey(survey=named, scheduled_by=admin)
    for invitation in named.invitations.all():
        services.submit_response(invitation=invitation, answers={})
    anonymous = services.create_survey(
        program=induction, created_by=admin,
        template=SurveyTemplate.objects.get(key="mentee-baseline"),
        opens_on=induction.starts_on, closes_on=induction.ends_on)
    services.schedule_survey(survey=anonymous, scheduled_by=admin)
    draft = services.create_survey(program=induction, created_by=admin,
                                   template=SurveyTemplate.objects.get(key="mentor-experience"))
    invitation = anonymous.invitations.get(user=w["member"])
    return [
        ("surveys:program-surveys", reverse("surveys:program-surveys", args=[induction.pk])),
        ("surveys:survey-create", reverse("surveys:survey-create", args=[induction.pk])),
        ("surveys:survey-detail", reverse("surveys:survey-detail", args=[draft.pk])),
        ("surveys:survey-detail", reverse("surveys:survey-detail", args=[anonymous.pk])),
        ("surveys:question-edit",
         reverse("surveys:question-edit", args=[draft.pk, draft.questions.first().pk])),
        ("surveys:survey-results", reverse("surveys:survey-results", args=[named.pk])),
        ("surveys:survey-respondents", reverse("surveys:survey-respondents", args=[named.pk])),
        ("surveys:response-detail",
         reverse("surveys:response-detail", args=[named.pk, named.responses.first().pk])),
    ], [("surveys:answer",
         reverse("surveys:answer", args=[services.invitation_token(invitation)]))]


@pytest.mark.browser
def test_every_page_passes_the_accessibility_check(page):
    w = world()
    visits = {"anonymous": [], "admin": [], "member": []}
    for who, _name, url in pages(w):
        visits[who].append(url)
    for who, urls in visits.items():
        page.context.clear_cookies()
        if who != "anonymous":
            # Signing in just now also counts as the recent sign-in that the security
            # pages (two-factor, recovery codes) ask for.
            sign_in(page, w[who].email, factories.PASSWORD,
                    totp_secret=factories.TOTP_SECRETS.get(w[who].pk))
            page.wait_for_url(f"{page.base_url}/")
        for url in urls:
            response = page.goto(f"{page.base_url}{url}")
            if page.url.startswith(f"{page.base_url}{reverse('account_reauthenticate')}?"):
                # Two-factor settings ask for the password again first.
                check_accessibility(page)
                page.get_by_label("Password").fill(factories.PASSWORD)
                with page.expect_navigation() as navigation:
                    page.get_by_role("button", name="Confirm").click()
                response = navigation.value
            assert page.url == f"{page.base_url}{url}", f"{who} {url} went to {page.url}"
            assert response.status == 200, f"{who} {url}: {response.status}"
            check_accessibility(page)
        if who == "admin":
            # The recovery codes exist once generated: the page that shows them.
            page.goto(f"{page.base_url}{reverse('mfa_generate_recovery_codes')}")
            follow(page, page.locator("main").get_by_role("button", name="Generate"))
            assert page.url == f"{page.base_url}{reverse('mfa_view_recovery_codes')}"
            check_accessibility(page)


@pytest.mark.django_db
def test_every_page_is_in_the_tour_or_named_as_something_else():
    toured = {name for _who, name, _url in pages(world())} | {"mfa_view_recovery_codes"}
    everything = our_url_names()

    missing = everything - toured - NOT_PAGES - set(OTHER_JOURNEYS)
    assert missing == set(), f"pages no browser test opens: {sorted(missing)}"
    # And nothing listed here that no longer exists.
    assert (toured | NOT_PAGES | set(OTHER_JOURNEYS)) - everything == set()
