/* The organisations' figures chart: registered and filed per child division (ECharts, local file). */
(function () {
  "use strict";
  var el = document.getElementById("org-chart");
  var source = document.getElementById("org-chart-data");
  if (!el || !source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  if (!data.names.length) return;
  el.hidden = false;
  el.style.height = "320px";
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [data.labels.registered, data.labels.filed] },
    grid: { left: 8, right: 24, top: 40, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.names, axisLabel: { interval: 0, rotate: data.names.length > 8 ? 45 : 0 } },
    yAxis: { type: "value" },
    series: [{ type: "bar", stack: "n", name: data.labels.registered, data: data.registered },
             { type: "bar", stack: "n", name: data.labels.filed, data: data.filed }]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
