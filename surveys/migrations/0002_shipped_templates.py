"""The survey templates the product ships with, in its own words. A coordinator copies one
into a program's survey and changes it there; the templates themselves stay as they are."""

from django.db import migrations

AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
         "Strongly agree"]


def mentee_questions():
    return [
        {"key": "confidence", "kind": "likert", "required": True, "choices": AGREE,
         "text": "I feel confident in my teaching."},
        {"key": "classroom-routines", "kind": "likert", "required": True, "choices": AGREE,
         "text": "I have routines that help my classroom run smoothly."},
        {"key": "support", "kind": "likert", "required": True, "choices": AGREE,
         "text": "I know where to turn when I need help with my teaching."},
        {"key": "satisfaction", "kind": "scale", "required": True,
         "choices": ["Not at all satisfied", "Completely satisfied"],
         "text": "How satisfied are you with the mentoring you receive?"},
        {"key": "most-helpful", "kind": "long_text", "required": False, "choices": [],
         "text": "What has helped you most so far?"},
    ]


TEMPLATES = [
    {"key": "mentee-baseline", "title": "Mentee confidence and satisfaction: start of year",
     "intro": "A few questions about how you feel as the year begins. There are no right "
              "answers; your answers help the program support you.",
     "stage": "baseline", "audience_roles": ["mentee"], "anonymous": True,
     "questions": mentee_questions()},
    {"key": "mentee-mid-year", "title": "Mentee confidence and satisfaction: mid-year",
     "intro": "Halfway through the year: how are things going?",
     "stage": "mid_year", "audience_roles": ["mentee"], "anonymous": True,
     "questions": mentee_questions()},
    {"key": "mentee-end-of-year", "title": "Mentee confidence and satisfaction: end of year",
     "intro": "Looking back over the year, tell us where you stand now.",
     "stage": "end_of_year", "audience_roles": ["mentee"], "anonymous": True,
     "questions": mentee_questions()},
    {"key": "mentor-experience", "title": "Mentor experience",
     "intro": "How is mentoring going for you? The program uses your answers to plan "
              "training and protected time.",
     "stage": "mid_year", "audience_roles": ["mentor", "lead_mentor"], "anonymous": True,
     "questions": [
         {"key": "mentor-prepared", "kind": "likert", "required": True, "choices": AGREE,
          "text": "I feel prepared to support my mentee."},
         {"key": "mentor-time", "kind": "likert", "required": True, "choices": AGREE,
          "text": "I have enough protected time for mentoring."},
         {"key": "mentor-hardest", "kind": "single", "required": False,
          "choices": ["Finding time", "Knowing what to focus on", "Giving feedback",
                      "Keeping in touch", "Something else"],
          "text": "What is hardest about mentoring right now?"},
         {"key": "mentor-training", "kind": "multiple", "required": False,
          "choices": ["Coaching conversations", "Observation and feedback",
                      "Supporting wellbeing", "Planning with a mentee"],
          "text": "Which training would help you?"},
         {"key": "mentor-recommend", "kind": "scale", "required": True,
          "choices": ["Not at all likely", "Extremely likely"],
          "text": "How likely are you to mentor again next year?"},
     ]},
    {"key": "program-feedback", "title": "Program feedback",
     "intro": "Tell us what to keep and what to change next year.",
     "stage": "end_of_year", "audience_roles": ["mentee", "mentor", "lead_mentor", "peer"],
     "anonymous": True,
     "questions": [
         {"key": "program-worth", "kind": "likert", "required": True, "choices": AGREE,
          "text": "The program was worth the time I gave it."},
         {"key": "program-recommend", "kind": "scale", "required": True,
          "choices": ["Not at all likely", "Extremely likely"],
          "text": "How likely are you to recommend the program to a colleague?"},
         {"key": "program-change", "kind": "long_text", "required": False, "choices": [],
          "text": "What one thing would you change about the program?"},
     ]},
]


def add_templates(apps, schema_editor):
    SurveyTemplate = apps.get_model("surveys", "SurveyTemplate")
    for template in TEMPLATES:
        SurveyTemplate.objects.update_or_create(key=template["key"], defaults={
            k: v for k, v in template.items() if k != "key"})


def remove_templates(apps, schema_editor):
    apps.get_model("surveys", "SurveyTemplate").objects.filter(
        key__in=[t["key"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial")]

    operations = [migrations.RunPython(add_templates, remove_templates)]
