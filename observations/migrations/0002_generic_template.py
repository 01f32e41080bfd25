"""The generic observation template shipped with the product, in our own words: four
domains of everyday classroom practice, two look-fors each, and a four-level scale plus
"not observed". Districts copy it or build their own."""

import uuid

from django.db import migrations

NAME = "Everyday classroom practice"
DESCRIPTION = ("A short, general set of look-fors for formative observation in any grade or "
               "subject. Choose two or three of them at the pre-conference.")
LEVELS = ["Beginning", "Developing", "Established", "Extending"]
DOMAINS = [
    ("Learning environment", [
        ("Routines let students start and move between tasks with little time lost.",
         "Watch the first five minutes and every transition: who knows what to do without "
         "being told, and how long the change takes."),
        ("Students treat each other with respect and take risks without fear of mistakes.",
         "Note how students respond to a wrong answer, theirs or a classmate's, and who "
         "speaks up."),
    ]),
    ("Purpose and planning", [
        ("Students can say what they are learning and why.",
         "Ask two or three students what they are working on and what it is for; write "
         "their words."),
        ("Tasks meet students where they are, with support and stretch.",
         "Look for scaffolds, choices or extensions, and for students who finish early or "
         "cannot start."),
    ]),
    ("Thinking and engagement", [
        ("Questions ask students to explain their thinking, not only to recall.",
         "Write down questions as asked and count how many invite an explanation."),
        ("Most students do the thinking for most of the lesson.",
         "Every ten minutes, count how many students are actively working on the "
         "learning."),
    ]),
    ("Checking for understanding", [
        ("The teacher gathers evidence of learning during the lesson.",
         "Note each check (whiteboards, exit tickets, circulating) and what the teacher "
         "did with what they saw."),
        ("Feedback to students is specific and used straight away.",
         "Record feedback as given and whether students act on it before the lesson "
         "ends."),
    ]),
]


def seed(apps, schema_editor):
    Template = apps.get_model("observations", "ObservationTemplate")
    Version = apps.get_model("observations", "TemplateVersion")
    Domain = apps.get_model("observations", "Domain")
    Indicator = apps.get_model("observations", "Indicator")
    Level = apps.get_model("observations", "ScaleLevel")
    if Template.objects.filter(district__isnull=True, name=NAME).exists():
        return
    from django.utils import timezone

    template = Template.objects.create(name=NAME, description=DESCRIPTION)
    version = Version.objects.create(template=template, number=1, state="published",
                                     allows_not_observed=True, published_at=timezone.now())
    for value, label in enumerate(LEVELS, start=1):
        Level.objects.create(version=version, value=value, label=label)
    for position, (name, indicators) in enumerate(DOMAINS):
        domain = Domain.objects.create(version=version, name=name, position=position)
        for index, (text, guidance) in enumerate(indicators):
            Indicator.objects.create(domain=domain, key=uuid.uuid4(), text=text,
                                     guidance=guidance, position=index)


class Migration(migrations.Migration):
    dependencies = [("observations", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
