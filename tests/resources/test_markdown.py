"""Markdown written in a resource cannot carry script onto the page."""

import pytest
from django.urls import reverse

from resources.markdown import render_markdown
from tests.resources.factories import resource

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[click](javascript:alert(1))",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<div onmouseover="alert(1)">hover</div>',
    "<iframe src=https://evil.example></iframe>",
    '<svg><script>alert(1)</script></svg>',
    "<style>body{display:none}</style>",
    '<a href="https://ok.example" onclick="alert(1)" style="color:red">ok</a>',
    "![tracker](https://evil.example/pixel.png)",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_markdown_renders_without_script(text):
    html = render_markdown(text).lower()

    for danger in ["<script", "onerror", "onclick", "onmouseover", "javascript:", "data:",
                   "<iframe", "<style", "style=", "<img", "<svg"]:
        assert danger not in html, (text, html)


def test_ordinary_markdown_keeps_its_structure():
    html = render_markdown("# Plan\n\n- **Warm-up**\n- [Article](https://example.org/a)\n\n"
                           "| a | b |\n|---|---|\n| 1 | 2 |")

    assert "<h3>Plan</h3>" in html  # below the page's own headings
    assert "<strong>Warm-up</strong>" in html
    assert 'href="https://example.org/a"' in html
    assert "noopener" in html
    assert "<table>" in html


@pytest.mark.django_db
def test_the_resource_page_shows_hostile_text_inert(client, people):
    res = resource(people.teacher, body="\n\n".join(HOSTILE),
                   rationale='<script>alert("r")</script>Because.',
                   title='<script>alert("t")</script>')
    client.force_login(people.colleague)

    page = client.get(reverse("resources:detail", args=[res.pk])).content.decode()

    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;t&quot;)&lt;/script&gt;" in page  # the title, escaped
    assert "javascript:alert" not in page
    assert "Because." in page
