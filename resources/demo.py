"""The resource library of the demo district (`manage.py seed_demo`).

A few dozen resources across subjects, written through the same services as in the browser,
so each has its versions, co-authors, comments, feedback from use, endorsements and, for some,
adaptations by another school. A resource is recognised by its title in the district: a
second run finds every one in place and changes nothing.
"""

import contextlib
import random
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from accounts.demo.data import (
    ART,
    ASSESSMENT,
    CLASSROOM,
    CS,
    DIFFERENTIATION,
    ELA,
    ENGAGEMENT,
    EQUITY,
    ESL,
    FAMILY,
    MATH,
    MULTILINGUAL,
    MUSIC,
    PE,
    PLANNING,
    SCIENCE,
    SEL,
    SOCIAL,
    SPED,
    TECHNOLOGY,
    WORLD_LANGUAGES,
)
from accounts.models import User
from goals.models import ActionStep, Goal
from observations.models import DebriefNextStep, ObservationCycle
from programs.models import Group, Participant, Program

from .models import Resource
from .services import (
    adapt_resource,
    add_coauthor,
    add_feedback,
    attach_to_action_step,
    attach_to_next_step,
    attach_to_session,
    comment_on_resource,
    create_resource,
    edit_resource,
    endorse_resource,
    publish_resource,
)

RANDOM_SEED = 2026
INDUCTION = "New Teacher Induction"
SCIENCE_TEAM = "Secondary science"
# Sessions of the science team and the team's resources on their agendas.
SESSION_RESOURCES = [
    ("Launching inquiry labs",
     ["Inquiry lab launch protocol", "Lab safety contract and walkthrough"]),
    ("Talk moves for science discussions", ["Talk moves card for science discussions"]),
]
MENTOR = "mentor@riverside.example.org"
MENTEE = "mentee@riverside.example.org"
K = Resource.Kind


@dataclass(frozen=True)
class ResourceSpec:
    title: str
    kind: str
    subjects: tuple
    grades: tuple
    focus: tuple
    tags: tuple
    summary: str
    steps: tuple
    url: str = ""
    scope: str = Resource.Scope.DISTRICT
    shared_with: str = ""  # the program or group of a program or group scope, by name


SPECS = [
    ResourceSpec("Ratios in the kitchen", K.UNIT_PLAN, (MATH,), ("07",), (PLANNING, ENGAGEMENT),
                 ("ratios", "recipes", "proportional reasoning"),
                 "Three weeks of ratio and rate reasoning built around scaling family recipes.",
                 ("Scale a recipe for 4 people to 10 people", "Compare unit prices at two stores",
                  "Design a class snack mix with a fixed ratio")),
    ResourceSpec("Number talks: estimating quotients", K.ACTIVITY, (MATH,), ("05", "06"),
                 (ENGAGEMENT,), ("number sense", "mental math"),
                 "A ten-minute routine where students estimate and defend quotients aloud.",
                 ("Show 482 ÷ 6 for ten seconds", "Collect estimates without judging",
                  "Ask two students to explain different strategies")),
    ResourceSpec("Exit tickets that inform tomorrow", K.TEMPLATE, (MATH, SCIENCE),
                 ("06", "07", "08"), (ASSESSMENT,), ("exit tickets", "formative assessment"),
                 "A three-question exit ticket template and a five-minute sorting routine.",
                 ("One question on today's goal", "One question on a common error",
                  "One question on confidence", "Sort into three piles before you leave")),
    ResourceSpec("Fraction strips and the number line", K.LESSON_PLAN, (MATH,), ("03", "04"),
                 (DIFFERENTIATION,), ("fractions", "manipulatives"),
                 "Students fold paper strips to place unit fractions on a number line.",
                 ("Fold halves, fourths and eighths", "Line the strips up against 0 to 1",
                  "Place 3/4 and 5/8 and justify the order")),
    ResourceSpec("Problem-solving rubric for open tasks", K.RUBRIC, (MATH,), ("06", "07", "08"),
                 (ASSESSMENT, EQUITY), ("rubric", "problem solving"),
                 "A four-level rubric that credits reasoning as well as answers.",
                 ("Understands the problem", "Chooses a strategy", "Communicates reasoning",
                  "Checks the answer")),
    ResourceSpec("Close reading with text-dependent questions", K.LESSON_PLAN, (ELA,), ("07", "08"),
                 (PLANNING,), ("close reading", "annotation"),
                 "Three reads of a short text, each with a different question and purpose.",
                 ("First read: what is it about?", "Second read: how is it written?",
                  "Third read: what does it mean to us?")),
    ResourceSpec("Argument writing unit: should our school have a later start?", K.UNIT_PLAN,
                 (ELA,), ("08",), (ENGAGEMENT,), ("argument", "writing", "claims and evidence"),
                 "Students research and argue a question about their own school day.",
                 ("Read two articles with opposing views", "Draft a claim and two reasons",
                  "Peer review with the checklist", "Publish as letters to the principal")),
    ResourceSpec("Anonymised student essay: strong counterargument", K.STUDENT_WORK, (ELA,),
                 ("08",), (ASSESSMENT,), ("exemplar", "argument"),
                 "A Grade 8 essay (names removed) that answers the other side well.",
                 ("Read the highlighted counterargument", "Discuss why it persuades",
                  "Use it to model the rebuttal paragraph")),
    ResourceSpec("Literature circle roles", K.TEMPLATE, (ELA,), ("04", "05", "06"),
                 (ENGAGEMENT, DIFFERENTIATION), ("literature circles", "discussion"),
                 "Role cards for student-led book discussions, with sentence starters.",
                 ("Discussion director", "Connector", "Word finder", "Summariser")),
    ResourceSpec("Phonics warm-up: blending with Elkonin boxes", K.ACTIVITY, (ELA,), ("KG", "01"),
                 (DIFFERENTIATION,), ("phonics", "early literacy"),
                 "A five-minute daily blending routine with sound boxes and counters.",
                 ("Say the word slowly", "Push a counter for each sound", "Blend and read")),
    ResourceSpec("Plant growth investigation", K.UNIT_PLAN, (SCIENCE,), ("03",), (ENGAGEMENT,),
                 ("plants", "investigation", "data"),
                 "Students design a fair test of what plants need and graph their results.",
                 ("Ask a testable question", "Change one variable", "Measure every two days",
                  "Graph and explain the results")),
    ResourceSpec("Claim, evidence, reasoning in lab reports", K.TEMPLATE, (SCIENCE,),
                 ("06", "07", "08"), (ASSESSMENT,), ("CER", "lab report"),
                 "A one-page scaffold that turns lab observations into a scientific argument.",
                 ("State the claim", "Cite the data", "Explain with a science idea")),
    ResourceSpec("Lab safety contract and walkthrough", K.ACTIVITY, (SCIENCE,), ("06", "07"),
                 (CLASSROOM,), ("lab safety", "routines"),
                 "A first-week walkthrough of the lab with a contract families sign.",
                 ("Locate the safety equipment", "Practise the spill routine",
                  "Sign the contract with a family member")),
    ResourceSpec("Chemical reactions phenomenon: the rusting bike", K.LESSON_PLAN, (SCIENCE,),
                 ("09", "10"), (ENGAGEMENT,), ("phenomenon", "chemistry"),
                 "Students explain why a bike left outside rusts, building a reaction model.",
                 ("Observe photos over six months", "List questions", "Model the reaction")),
    ResourceSpec("Primary source analysis: letters home from 1918", K.LESSON_PLAN, (SOCIAL,),
                 ("10", "11"), (PLANNING,), ("primary sources", "history"),
                 "Students read soldiers' letters and weigh them as historical evidence.",
                 ("Source: who wrote it, when, why?", "Context: what else was happening?",
                  "Corroborate with a second letter")),
    ResourceSpec("Community map project", K.UNIT_PLAN, (SOCIAL,), ("03", "04"),
                 (FAMILY, ENGAGEMENT), ("maps", "community", "families"),
                 "Students map places that matter to their families and share the stories.",
                 ("Interview a family member", "Mark places on a shared map",
                  "Present one place to the class")),
    ResourceSpec("Structured academic controversy", K.ACTIVITY, (SOCIAL,), ("09", "10", "11", "12"),
                 (EQUITY, ENGAGEMENT), ("discussion", "civics"),
                 "Pairs argue both sides of a question, then look for common ground.",
                 ("Pairs prepare one side", "Present and switch sides", "Drop roles and agree")),
    ResourceSpec("Sentence frames for academic talk", K.TEMPLATE, (ESL, ELA),
                 ("03", "04", "05", "06"), (MULTILINGUAL,), ("sentence frames", "oracy"),
                 "Frames at three levels of English proficiency for partner talk in any subject.",
                 ("Entering: I see ___", "Developing: I think ___ because ___",
                  "Expanding: I agree with ___, and I would add ___")),
    ResourceSpec("Vocabulary with visuals and cognates", K.ACTIVITY, (ESL,), ("06", "07", "08"),
                 (MULTILINGUAL, DIFFERENTIATION), ("vocabulary", "cognates"),
                 "Teach five key words with a picture, a gesture and a Spanish cognate.",
                 ("Show the picture", "Act out the word", "Find the cognate together")),
    ResourceSpec("Accommodations planner for co-taught classes", K.TEMPLATE, (SPED,),
                 ("06", "07", "08"), (DIFFERENTIATION, PLANNING), ("IEP", "co-teaching"),
                 "A weekly grid that matches each lesson to the accommodations students need.",
                 ("List the week's lessons", "Note the accommodations per student",
                  "Agree who provides each one")),
    ResourceSpec("Visual schedule and first-then board", K.TEMPLATE, (SPED,), ("PK", "KG", "01"),
                 (CLASSROOM, SEL), ("visual supports", "routines"),
                 "Printable visual schedule cards and a first-then board for transitions.",
                 ("Print and laminate the cards", "Review the day each morning",
                  "Use first-then at hard transitions")),
    ResourceSpec("Morning meeting", K.ACTIVITY, (), ("KG", "01", "02", "03"), (SEL, CLASSROOM),
                 ("community", "routines"),
                 "A fifteen-minute daily meeting: greeting, sharing, activity, message.",
                 ("Greeting by name", "Two students share", "A short group activity",
                  "Read the morning message")),
    ResourceSpec("Restorative circles after conflict", K.ACTIVITY, (), ("06", "07", "08"),
                 (SEL, CLASSROOM), ("restorative practice", "circles"),
                 "A circle script for repairing harm after a classroom conflict.",
                 ("Set the talking piece and norms", "What happened?",
                  "Who was affected?", "What do we need to make it right?")),
    ResourceSpec("Positive phone calls home", K.TEMPLATE, (), (), (FAMILY,),
                 ("families", "communication"),
                 "A script and a tracking sheet for one good-news call per student each term.",
                 ("Name one specific thing the student did", "Ask what the family sees at home",
                  "Log the call")),
    ResourceSpec("Observing a colleague: a noticing protocol", K.MENTOR_TRAINING, (), (),
                 (PLANNING,), ("observation", "mentoring"),
                 "How a mentor takes low-inference notes and turns them into questions.",
                 ("Script what you see and hear", "Mark moments students were stuck",
                  "Turn three notes into open questions")),
    ResourceSpec("Coaching conversations: the reflective debrief", K.MENTOR_TRAINING, (), (),
                 (PLANNING, EQUITY), ("debrief", "coaching"),
                 "A debrief structure that lets the mentee name the next step themselves.",
                 ("Start with the mentee's impressions", "Share one piece of data",
                  "Ask what they will try next")),
    ResourceSpec("The first five weeks: routines that last", K.ARTICLE, (), (), (CLASSROOM,),
                 ("routines", "new teachers"),
                 "A short article on teaching routines explicitly in the first weeks of school.",
                 ("Read before the school year", "Pick three routines to teach"),
                 url="https://example.org/articles/first-five-weeks"),
    ResourceSpec("Wait time in questioning", K.VIDEO, (), (), (ENGAGEMENT, EQUITY),
                 ("questioning", "wait time"),
                 "A six-minute video of a teacher using three seconds of wait time.",
                 ("Watch once for the teacher", "Watch again for who answers"),
                 url="https://example.org/videos/wait-time", scope=Resource.Scope.INSTALLATION),
    ResourceSpec("Block-based coding: animate your name", K.LESSON_PLAN, (CS,), ("04", "05"),
                 (TECHNOLOGY, ENGAGEMENT), ("coding", "sequencing"),
                 "Students animate the letters of their name with loops and events.",
                 ("Add a sprite per letter", "Make each letter move on click",
                  "Use a loop to repeat")),
    ResourceSpec("Rhythm notation with body percussion", K.ACTIVITY, (MUSIC,), ("02", "03"),
                 (ENGAGEMENT,), ("rhythm", "notation"),
                 "Students read quarter and eighth notes by clapping, patting and stamping.",
                 ("Clap the pattern", "Read it from the card", "Compose a four-beat pattern")),
    ResourceSpec("Observational drawing sketchbook prompts", K.TEMPLATE, (ART,),
                 ("06", "07", "08"), (DIFFERENTIATION,), ("drawing", "sketchbook"),
                 "Twenty prompts for ten-minute observational drawings, one per week.",
                 ("Draw your shoe from three angles", "Draw a plant in contour only")),
    ResourceSpec("Cooperative games for the first week", K.ACTIVITY, (PE,), ("03", "04", "05"),
                 (SEL, CLASSROOM), ("cooperation", "games"),
                 "Five games where the class wins together, for building trust early.",
                 ("Group juggle", "Human knot", "Hula hoop pass")),
    ResourceSpec("Comprehensible input story", K.LESSON_PLAN, (WORLD_LANGUAGES,), ("09", "10"),
                 (MULTILINGUAL,), ("Spanish", "storytelling"),
                 "A class-created story in Spanish using high-frequency structures.",
                 ("Introduce three structures", "Ask the story with the class",
                  "Students retell in pairs")),
    # Shared with the induction program's people, and with the science learning team.
    ResourceSpec("Induction year survival guide", K.MENTOR_TRAINING, (), (), (CLASSROOM,),
                 ("induction", "first year"),
                 "What the first months of teaching feel like and where to find help here.",
                 ("Who to ask for what", "The first observation cycle", "Protecting your time"),
                 scope=Resource.Scope.PROGRAM, shared_with=INDUCTION),
    ResourceSpec("Weekly check-in agenda for mentor pairs", K.TEMPLATE, (), (),
                 (PLANNING,), ("check-ins", "agenda"),
                 "A fifteen-minute agenda that keeps weekly check-ins on the mentee's goals.",
                 ("A win since last week", "One goal, one next step", "What I need from you"),
                 scope=Resource.Scope.PROGRAM, shared_with=INDUCTION),
    ResourceSpec("Inquiry lab launch protocol", K.ACTIVITY, (SCIENCE,), ("09", "10", "11"),
                 (ENGAGEMENT, PLANNING), ("inquiry", "labs"),
                 "Students see a phenomenon, ask questions and plan their own investigation.",
                 ("Show the phenomenon without explaining it", "Collect questions",
                  "Sort testable from non-testable", "Plan the first test in groups"),
                 scope=Resource.Scope.GROUP, shared_with=SCIENCE_TEAM),
    ResourceSpec("Talk moves card for science discussions", K.TEMPLATE, (SCIENCE,),
                 ("06", "07", "08", "09", "10", "11", "12"), (ENGAGEMENT, EQUITY),
                 ("talk moves", "discussion"),
                 "Six talk moves that get students reasoning with each other about evidence.",
                 ("Say more", "Who can add on?", "Do you agree or disagree, and why?"),
                 scope=Resource.Scope.GROUP, shared_with=SCIENCE_TEAM),
]

COMMENTS = [
    "We tried this in Grade 7 and it worked well with one change: shorter first task.",
    "Could we add a version for students who need the text read aloud?",
    "Thank you for the design notes; they helped me explain it to my mentee.",
    "The second step took twice as long as planned in my class.",
    "Lovely. I added it to our team's plan for next month.",
]
FEEDBACK = [
    ("Grade 7, two classes of 28", "Students were engaged from the start. Next time I will "
     "model the first example before they work in pairs."),
    ("Grade 6 intervention group of 8", "It worked for most students; two needed the sentence "
     "frames printed on their desks."),
    ("Grade 8, one class of 31", "Timing was tight. I split it over two days and it went "
     "much better."),
    ("Grade 4, whole class", "The visuals made a real difference for my multilingual "
     "learners."),
]
# (index of the source in SPECS, school code of the adapting teacher, new title)
ADAPTATIONS = [
    (0, "202", "Ratios in the kitchen (Oak Hollow, with bilingual recipes)"),
    (2, "301", "Exit tickets for high school science labs"),
    (17, "104", "Sentence frames for academic talk, Grades K-2"),
    (22, "201", "Restorative circles for advisory period"),
]


def _body(spec):
    steps = "\n".join(f"{i}. {step}" for i, step in enumerate(spec.steps, start=1))
    return (f"# Goals\n\n{spec.summary}\n\n# Sequence\n\n{steps}\n\n"
            f"# Check for understanding\n\nAsk students to explain one step to a partner, "
            f"and listen for **misconceptions** to address the next day.")


def _staff_at(demo, people, code, rng, exclude=()):
    users = [people[p.user_id] for p in demo.staff
             if p.school_id == demo.schools[code].pk and p.user_id not in exclude]
    return rng.choice(users)


def seed_resources(demo):
    """The demo library; returns `demo` with what it created counted."""
    district = demo.district
    existing = set(Resource.objects.filter(district=district).values_list("title", flat=True))
    if all(spec.title in existing for spec in SPECS) and all(
            title in existing for _i, _code, title in ADAPTATIONS):
        return _on_steps(_on_agendas(demo))
    rng = random.Random(RANDOM_SEED)
    mentor = User.objects.get(email=MENTOR)
    mentee = User.objects.get(email=MENTEE)
    people = User.objects.select_related("district").in_bulk(
        [p.user_id for p in demo.staff])
    staff = [people[p.user_id] for p in demo.staff]
    readers = staff[::7]
    made = {}
    for i, spec in enumerate(SPECS):
        if spec.title in existing:
            made[i] = Resource.objects.get(district=district, title=spec.title)
            continue
        if spec.shared_with:
            made[i] = _write_shared(demo, spec, rng, i)
            continue
        author = mentor if i in (0, 2, 4) else rng.choice(staff)
        made[i] = _write(demo, spec, author, mentee if i == 0 else rng.choice(staff),
                         readers, rng, i)
    for index, code, title in ADAPTATIONS:
        if title in existing:
            continue
        adapter = _staff_at(demo, people, code, rng, exclude={mentor.pk, mentee.pk})
        copy = adapt_resource(source=made[index], author=adapter, title=title)
        version = edit_resource(
            resource=copy, editor=adapter, base_version=1,
            note="Adjusted for our students", **_fields(copy, summary=copy.summary +
                                                        " Adapted for our school."))
        publish_resource(resource=copy, published_by=adapter)
        demo.created["resource"] += 1
        demo.created["resource version"] += 1 + bool(version)
    return _on_steps(_on_agendas(demo))


def _write_shared(demo, spec, rng, index):
    """A resource for a program's people or a group's members, written and discussed by
    them."""
    if spec.scope == Resource.Scope.PROGRAM:
        program = Program.objects.get(district=demo.district, name=spec.shared_with)
        people = [p.user for p in program.participants.filter(
            status=Participant.Status.ACTIVE).select_related("user").order_by("user__email")]
        author, coauthor = (User.objects.get(email=MENTOR), User.objects.get(email=MENTEE))
        sharing = {"program": program}
    else:
        group = Group.objects.get(program__district=demo.district, name=spec.shared_with)
        memberships = list(group.memberships.select_related("participant__user")
                           .order_by("-is_lead", "participant__user__email"))
        people = [m.participant.user for m in memberships]
        author, coauthor = people[0], people[-1]
        sharing = {"group": group}
    return _write(demo, spec, author, coauthor, people[::2], rng, index, **sharing)


def _on_agendas(demo):
    """The science team's resources on its sessions' agendas."""
    team = Group.objects.filter(program__district=demo.district, name=SCIENCE_TEAM).first()
    if team is None:
        return demo
    lead = team.memberships.filter(is_lead=True).select_related("participant__user").first()
    for title, resources in SESSION_RESOURCES:
        session = team.sessions.filter(title=title).first()
        for resource in Resource.objects.filter(district=demo.district, title__in=resources):
            if session and lead:
                demo.created["resource on an agenda"] += attach_to_session(
                    resource=resource, session=session, added_by=lead.participant.user)
    return demo


# The demo mentor's resources that help with the look-fors of the demo mentee's cycles,
# and go with the debrief's first next step and the mentee's open action step.
FOR_NEXT_STEP = "Ratios in the kitchen"


def _on_steps(demo):
    """The demo mentor's published resources tagged with the look-fors the pair's cycles
    observe; one attached to the first next step of the mentee's latest shared debrief, and
    one to the mentee's open action step. Nothing changes on a second run."""
    mentor = User.objects.filter(email=MENTOR).first()
    mentee = User.objects.filter(email=MENTEE).first()
    if mentor is None or mentee is None:
        return demo
    cycle = (ObservationCycle.objects.filter(mentor=mentor, mentee=mentee,
                                             debrief__shared_at__isnull=False)
             .exclude(stage=ObservationCycle.Stage.CANCELLED)
             .order_by("-debrief__shared_at").first())
    mine = list(Resource.objects.authored_by(mentor).published().order_by("pk")[:3])
    if cycle is not None:
        look_fors = [(i.key, i.text) for i in cycle.look_fors.order_by("pk")]
        for resource in mine[:2]:
            if look_fors and not resource.indicators.exists():
                latest = resource.versions.order_by("-number").first()
                edit_resource(resource=resource, editor=mentor,
                              base_version=latest.number if latest else 0,
                              note="Linked to the observation look-fors it helps with",
                              indicators=look_fors, **_fields(resource))
                demo.created["resource version"] += 1
        step = DebriefNextStep.objects.filter(debrief__cycle=cycle).order_by("position").first()
        chosen = (Resource.objects.filter(pk__in=[r.pk for r in mine], title=FOR_NEXT_STEP)
                  .first() or (mine[0] if mine else None))
        if step is not None and chosen is not None:
            demo.created["resource on a debrief next step"] += attach_to_next_step(
                resource=chosen, step=step, added_by=mentor)
    goal = (Goal.objects.filter(participant__user=mentee, state=Goal.State.ACTIVE)
            .select_related("participant__program").order_by("-pk").first())
    action = (ActionStep.objects.filter(goal=goal, done_on__isnull=True).order_by("due_on", "pk")
              .first() if goal else None)
    if action is not None and len(mine) > 1:
        # A program that is not under way: its goals take nothing new.
        with contextlib.suppress(PermissionDenied, ValidationError):
            demo.created["resource on an action step"] += attach_to_action_step(
                resource=mine[-1], step=action, added_by=mentee)
    return demo


def _fields(resource, **changes):
    values = {name: getattr(resource, name) for name in
              ["kind", "title", "summary", "body", "url", "rationale", "evidence", "scope",
               "grades", "program", "group"]}
    values.update(subjects=list(resource.subjects.all()),
                  focus_areas=list(resource.focus_areas.all()),
                  tags=list(resource.tags.values_list("name", flat=True)))
    values.update(changes)
    return values


def _write(demo, spec, author, coauthor, readers, rng, index, program=None, group=None):
    resource = create_resource(
        author=author, kind=spec.kind, title=spec.title, summary=spec.summary,
        body=_body(spec), url=spec.url, scope=spec.scope, program=program, group=group,
        subjects=[demo.subjects[name] for name in spec.subjects],
        focus_areas=[demo.focus_areas[name] for name in spec.focus],
        grades=list(spec.grades), tags=list(spec.tags),
        rationale="Written after our mentoring conversations about "
                  f"{spec.focus[0].lower() if spec.focus else 'planning'}: "
                  "short, concrete steps a new teacher can try the next day.",
    )
    demo.created["resource"] += 1
    demo.created["resource version"] += 1
    if coauthor.pk != author.pk:
        add_coauthor(resource=resource, added_by=author, email=coauthor.email)
        edit_resource(resource=resource, editor=coauthor, base_version=1,
                      note="Added the evidence and a check for understanding",
                      **_fields(resource, evidence="Draws on our district's instructional "
                                "framework and on what worked in our classes last year."))
        demo.created["resource version"] += 1
    if index % 5 == 3 and not spec.shared_with:
        return resource  # a few drafts stay with their authors
    publish_resource(resource=resource, published_by=author)
    for reader in rng.sample(readers, k=rng.randint(0, 3)):
        comment_on_resource(resource=resource, author=reader, body=rng.choice(COMMENTS))
        demo.created["resource comment"] += 1
    for reader in rng.sample(readers, k=rng.randint(0, 5)):
        demo.created["endorsement"] += endorse_resource(resource=resource, user=reader)
    if index % 2 == 0 or index == 0:
        used_with, body = FEEDBACK[index % len(FEEDBACK)]
        add_feedback(resource=resource, author=coauthor, body=body, used_with=used_with)
        demo.created["resource feedback"] += 1
    return resource
