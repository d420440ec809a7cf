/* Draws each dashboard chart from the data table beside it (the table stays: it is what screen
   readers read). A suppressed count has no data-count, so it gets no bar or point. Served from the
   bot itself with Chart.js (web/static/vendor/chartjs, fetched by `python3.11 dev.py chartjs`). */
(function () {
  "use strict";
  if (!window.Chart) {
    return;
  }
  var BLUE = "#005eb8";
  window.Chart.defaults.font.family = "Arial, Helvetica, sans-serif";
  window.Chart.defaults.color = "#212b32";
  document.querySelectorAll("figure.chart").forEach(function (figure) {
    var canvas = figure.querySelector("canvas");
    if (!canvas) {
      return;
    }
    var labels = [];
    var values = [];
    figure.querySelectorAll("tbody tr").forEach(function (row) {
      var label = row.querySelector("th").textContent.trim();
      var cell = row.querySelector("td");
      var raw = cell.getAttribute("data-count");
      // A suppressed count draws no bar; its label says why (e.g. "fewer than 5") so no gap reads as zero.
      labels.push(raw === null ? [label, "(" + cell.textContent.trim() + ")"] : label);
      values.push(raw === null ? null : Number(raw));
    });
    var kind = figure.getAttribute("data-chart") === "line" ? "line" : "bar";
    var title = figure.querySelector("figcaption").textContent.trim();
    new window.Chart(canvas, {
      type: kind,
      data: {
        labels: labels,
        datasets: [{ label: title, data: values, backgroundColor: BLUE, borderColor: BLUE, spanGaps: false }]
      },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        plugins: { legend: { display: false } },
        scales: { y: { beginAtZero: true, ticks: { precision: 0 } } }
      }
    });
    canvas.setAttribute("data-drawn", "true");
  });
})();
