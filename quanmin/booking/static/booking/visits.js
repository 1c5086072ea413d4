// visits.js: moved out of booking/staff/visits.html so that the pages run under a
// Content-Security-Policy without 'unsafe-inline' (issue 15, item 10).
(function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("visits-data").textContent);
  var el = document.getElementById("chart-visits");
  el.hidden = false;
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {data: [data.labels.in, data.labels.out]},
    grid: {left: 8, right: 16, top: 32, bottom: 8, containLabel: true},
    xAxis: {type: "category", data: data.hours}, yAxis: {type: "value", minInterval: 1},
    series: [{name: data.labels.in, type: "bar", data: data.in, itemStyle: {color: "#1a7f37"}},
             {name: data.labels.out, type: "bar", data: data.out, itemStyle: {color: "#c8102e"}}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
})();
