// The divisions' instructors per 10,000 residents as a bar chart (ECharts, served locally), read from
// the table below it, with the plan's target as a line.
(function () {
  "use strict";
  function start() {
    var table = document.getElementById("figures-children");
    var el = document.getElementById("chart-children");
    if (!table || !el || !window.echarts) return;
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var names = rows.map(function (r) { return r.dataset.name; });
    var values = rows.map(function (r) { return r.dataset.value === "" ? null : parseFloat(r.dataset.value); });
    var series = { type: "bar", name: table.dataset.label, data: values };
    if (table.dataset.target) {
      var target = parseFloat(table.dataset.target);
      series.markLine = { symbol: "none", data: [{ yAxis: target }],
                          label: { formatter: table.dataset.targetLabel + " {c}" } };
    }
    el.hidden = false;
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 8 ? 45 : 0 } },
      yAxis: { type: "value", name: table.dataset.label },
      series: [series]
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  document.addEventListener("DOMContentLoaded", start);
})();
