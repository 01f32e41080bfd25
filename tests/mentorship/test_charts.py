"""The chart include: the figures reach the page as data for the canvas and as a table."""

import json

from django.template import Context, Template


def render(chart):
    return Template('{% include "includes/chart.html" with chart=chart %}').render(
        Context({"chart": chart}))


def test_a_chart_carries_its_figures_as_data_and_as_a_table_with_the_scale_labels():
    html = render({
        "id": "ratings", "title": "Checks for understanding", "kind": "line",
        "labels": ["Sep 12", "Oct 3"],
        "series": [{"label": "Rating", "values": [2, None]}],
        "y_min": 1, "y_max": 4, "y_ticks": {1: "Beginning", 2: "Developing"},
        "target": 3, "target_label": "Goal",
    })

    figures = html.split('id="ratings-data" type="application/json">')[1]
    data = json.loads(figures.split("</script>")[0])
    assert data["series"] == [{"label": "Rating", "values": [2, None]}]
    assert data["y_ticks"] == {"1": "Beginning", "2": "Developing"}
    assert (data["target"], data["target_label"]) == (3, "Goal")
    assert 'data-chart-source="ratings-data"' in html
    assert 'aria-label="Checks for understanding"' in html
    assert "<td>2 (Developing)</td>" in html  # the table speaks the scale's words
    assert "<td>–</td>" in html  # a missing figure is shown as missing
    assert "<th scope=\"col\">Goal</th>" in html


def test_text_in_a_chart_cannot_break_out_of_its_data():
    html = render({"id": "c", "title": "T", "labels": ["</script><b>x</b>"],
                   "series": [{"label": "S", "values": [1]}]})

    assert "<b>x</b>" not in html
