// Charts drawn from data the page carries: {% include "includes/chart.html" with chart=... %}
// renders a <canvas data-chart-source="ID"> and the figures as JSON in the element ID (and as
// a table for screen readers). Chart.js itself is fetched only on pages that have a chart.
(() => {
  const canvases = () => document.querySelectorAll("canvas[data-chart-source]:not([data-drawn])");
  // Colours that keep 3:1 contrast on white; series also differ by point shape.
  const COLOURS = ["#0d6efd", "#b02a37", "#146c43", "#6f42c1", "#995c00", "#055160"];
  const SHAPES = ["circle", "rect", "triangle", "rectRot", "star", "crossRot"];

  function draw(canvas) {
    const spec = JSON.parse(document.getElementById(canvas.dataset.chartSource).textContent);
    const number = (value) => (value === null || value === "" ? null : Number(value));
    const datasets = spec.series.map((series, index) => ({
      label: series.label,
      data: series.values.map(number),
      borderColor: COLOURS[index % COLOURS.length],
      backgroundColor: COLOURS[index % COLOURS.length],
      pointStyle: SHAPES[index % SHAPES.length],
      pointRadius: 4,
      spanGaps: true,
    }));
    if (spec.target !== undefined && spec.target !== null) {
      datasets.push({
        type: "line", label: spec.target_label, data: spec.labels.map(() => number(spec.target)),
        borderColor: "#495057", borderDash: [6, 4], pointRadius: 0, fill: false,
      });
    }
    const ticks = spec.y_ticks || null;
    canvas.dataset.drawn = "1";
    new window.Chart(canvas, {
      type: spec.kind || "line",
      data: { labels: spec.labels, datasets },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          y: {
            min: number(spec.y_min ?? null) ?? undefined,
            max: number(spec.y_max ?? null) ?? undefined,
            ticks: ticks ? { stepSize: 1, callback: (value) => ticks[value] ?? value } : {},
          },
        },
      },
    });
  }

  function drawAll() {
    const waiting = canvases();
    if (!waiting.length) return;
    if (window.Chart) {
      waiting.forEach(draw);
      return;
    }
    const script = document.createElement("script");
    script.src = document.querySelector("script[data-chartjs]").dataset.chartjs;
    script.addEventListener("load", () => canvases().forEach(draw));
    document.head.appendChild(script);
  }

  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSettle", drawAll);
})();
