// figures.js: moved out of booking/staff/figures.html so that the pages run under a
// Content-Security-Policy without 'unsafe-inline' (issue 15, item 10).
(function () {
  var el = document.getElementById("chart-children");
  if (!window.echarts || !el) return;
  var data = JSON.parse(document.getElementById("figures-data").textContent);
  el.hidden = false;
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {data: [data.labels.bookable, data.labels.utilisation]},
    grid: {left: 8, right: 16, top: 32, bottom: 8, containLabel: true},
    xAxis: {type: "category", data: data.names, axisLabel: {rotate: data.names.length > 8 ? 45 : 0}},
    yAxis: {type: "value", max: 100},
    series: [{name: data.labels.bookable, type: "bar", data: data.bookable},
             {name: data.labels.utilisation, type: "bar", data: data.utilisation}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
