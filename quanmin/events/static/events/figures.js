// The events figures chart: events and the share of communities with games, per division below.
document.addEventListener("DOMContentLoaded", function () {
  var el = document.getElementById("ev-chart");
  var source = document.getElementById("ev-chart-data");
  if (!window.echarts || !el || !source) return;
  var data = JSON.parse(source.textContent);
  if (!data.names.length) return;
  el.hidden = false;
  var labels = data.labels;
  var chart = echarts.init(el);
  chart.setOption({
    tooltip: {trigger: "axis"}, legend: {},
    grid: {left: 8, right: 16, top: 32, bottom: 8, containLabel: true},
    xAxis: {type: "category", data: data.names, axisLabel: {rotate: data.names.length > 8 ? 45 : 0}},
    yAxis: [{type: "value"}, {type: "value", max: 100}],
    series: [{name: labels.events || "", type: "bar", data: data.events},
             {name: labels.communities || "", type: "line", yAxisIndex: 1, data: data.communities}]
  });
  window.addEventListener("resize", function () { chart.resize(); });
});
