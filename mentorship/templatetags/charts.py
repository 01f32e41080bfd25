"""A chart with its figures: `{% include "includes/chart.html" with chart=... %}`.

`chart` is a dict: `id` (unique in the page), `title`, `kind` ("line" or "bar"), `labels`
(the x axis), `series` ([{"label", "values"}], a value may be None), and optionally `y_min`,
`y_max`, `y_ticks` ({value: label}, for rating scales) and `target` with `target_label`.
The figures go to the page twice: as JSON for Chart.js (`static/js/charts.js`) and as a
table for whoever does not see the canvas.
"""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.inclusion_tag("includes/chart_figure.html")
def chart_figure(chart):
    ticks = {str(value): label for value, label in (chart.get("y_ticks") or {}).items()}

    def shown(value):
        if value is None:
            return None
        key = str(int(value)) if float(value).is_integer() else str(value)
        return f"{value} ({ticks[key]})" if key in ticks else value

    rows = [{"label": label, "values": [shown(series["values"][index])
                                        for series in chart["series"]]}
            for index, label in enumerate(chart["labels"])]
    data = {key: chart.get(key) for key in ("kind", "labels", "series", "y_min", "y_max",
                                             "target")}
    data["y_ticks"] = ticks or None
    data["target_label"] = chart.get("target_label") or _("Target")
    return {"chart": {**chart, "target_label": data["target_label"],
                      "target": chart.get("target")},
            "rows": rows, "data": data, "json_id": f"{chart['id']}-data"}
