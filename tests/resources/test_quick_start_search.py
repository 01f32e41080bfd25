"""Search on the quick start's SQLite database: the same code, with the plain-text fallback
of the stored search column. Runs in a separate process against a fresh SQLite file, the
way `make run` does."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
from accounts.models import District, User
from resources.models import Resource
from resources.services import create_resource, edit_resource, publish_resource

district = District.objects.create(name="Quick start")
author = User.objects.create(email="a@example.org", district=district, display_name="A")
reader = User.objects.create(email="b@example.org", district=district, display_name="B")
talks = create_resource(author=author, kind="activity", title="Number talks",
                        summary="A routine.", body="Students estimate QUOTIENTS aloud.")
jars = create_resource(author=author, kind="activity", title="Estimation jars",
                       summary="A game.", body="Guess the count.")
for res in (talks, jars):
    publish_resource(resource=res, published_by=author)
found = Resource.objects.visible_to(reader).search("estimate quotients")
print("found:", [r.title for r in found])
edit_resource(resource=jars, editor=author, base_version=1, kind="activity",
              title="Estimation jars", summary="A game.", url="", rationale="", evidence="",
              scope="district", grades=[], body="Estimate quotients of beans.")
found = Resource.objects.visible_to(reader).search("estimate quotients").order_by("title")
print("after edit:", [r.title for r in found])
print("grade 07:", [r.title for r in Resource.objects.for_grade("07")])
"""


def test_search_on_the_quick_start_database_matches_every_word(tmp_path):
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'quick.sqlite3'}",
           "ENV_FILE": os.devnull, "DJANGO_SETTINGS_MODULE": "mentorship.settings",
           "DEBUG": "true", "SECRET_KEY": "quick-start-test", "CELERY_BROKER_URL": "memory://"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v", "0"], env=env, check=True,
                   cwd=ROOT, timeout=300)

    result = subprocess.run([*manage, "shell", "-v", "0", "-c", SCRIPT], env=env, cwd=ROOT,
                            timeout=120, capture_output=True, text=True)

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "found: ['Number talks']",
        "after edit: ['Estimation jars', 'Number talks']",
        "grade 07: []",
    ]
