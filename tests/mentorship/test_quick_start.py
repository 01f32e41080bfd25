"""The quick start runs on SQLite while the rest of the suite runs on PostgreSQL: the pages
must answer on both."""

import json

from tests.quick_start import run_on_sqlite

PAGES = """
import json
import re
import django
django.setup()
from django.core.management import call_command
from django.test import Client

from accounts.models import User

call_command("migrate", verbosity=0, interactive=False)
call_command("seed_demo", verbosity=0)
failures, seen = [], 0
SKIPPED = ("/static/", "/media/", "/accounts/logout", "/admin/")
for email in ("district.admin@riverside.example.org", "school.admin@riverside.example.org",
              "mentor@riverside.example.org", "mentee@riverside.example.org"):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(email=email))
    # The home page, what it links to, and what those link to.
    visited, frontier = set(), ["/"]
    for _depth in range(3):
        found = []
        for link in frontier:
            if link in visited or link.startswith(SKIPPED) or len(visited) >= 250:
                continue
            visited.add(link)
            response = client.get(link)
            if response.status_code >= 500:
                failures.append(f"{email} {link} {response.status_code}")
            elif response.get("Content-Type", "").startswith("text/html"):
                found += re.findall(r'href="(/[^"#?]*)', response.content.decode())
        frontier = sorted(set(found) - visited)
    seen += len(visited)
print(json.dumps({"seen": seen, "failures": failures}))
"""


def test_the_pages_each_demo_person_reaches_answer_on_sqlite(tmp_path):
    """The pages each demo person reaches in two clicks from their home page, on the quick
    start's database: none may fail there while passing on PostgreSQL."""
    run = run_on_sqlite(PAGES, tmp_path, ALLOWED_HOSTS="testserver")

    assert run.returncode == 0, run.stderr[-3000:]
    # The last line is the crawl's; the demo's seeding prints above it.
    crawl = json.loads(run.stdout.splitlines()[-1])
    assert crawl["seen"] > 200
    assert crawl["failures"] == []
