// figures_region.js: moved out of maintenance/figures/region.html so that the pages run under a
// Content-Security-Policy without 'unsafe-inline' (issue 15, item 10).
(function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("figures-data").textContent);
  var L = data.labels;
  function show(id, option) {
    var el = document.getElementById(id);
    if (!el) return null;
    el.hidden = false;
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
    return chart;
  }
  var grid = {left: 8, right: 16, top: 40, bottom: 8, containLabel: true};
  if (data.months.length) {
    show("chart-inspections", {
      tooltip: {trigger: "axis"}, legend: {data: [L.completion, L.defects]}, grid: grid,
      xAxis: {type: "category", data: data.months},
      yAxis: [{type: "value", min: 0, max: 100, name: "%"}, {type: "value", minInterval: 1}],
      series: [{name: L.completion, type: "line", data: data.completion, connectNulls: true},
               {name: L.defects, type: "bar", yAxisIndex: 1, data: data.defects}]
    });
    show("chart-repairs", {
      tooltip: {trigger: "axis"}, legend: {data: [L.mttr, L.satisfaction]}, grid: grid,
      xAxis: {type: "category", data: data.months},
      yAxis: [{type: "value", min: 0}, {type: "value", min: 1, max: 5}],
      series: [{name: L.mttr, type: "bar", data: data.mttr},
               {name: L.satisfaction, type: "line", yAxisIndex: 1, data: data.satisfaction, connectNulls: true}]
    });
  }
  if (data.children.length) {
    var names = data.children.map(function (c) { return c.name; });
    var chart = show("chart-children", {
      tooltip: {trigger: "axis"}, legend: {data: [L.ordersOverdue, L.reportsOverdue, L.completion]}, grid: grid,
      xAxis: {type: "category", data: names, triggerEvent: true, axisLabel: {interval: 0, rotate: names.length > 8 ? 45 : 0}},
      yAxis: [{type: "value", minInterval: 1}, {type: "value", min: 0, max: 100, name: "%"}],
      series: [{name: L.ordersOverdue, type: "bar", data: data.children.map(function (c) { return c.ordersOverdue; })},
               {name: L.reportsOverdue, type: "bar", data: data.children.map(function (c) { return c.reportsOverdue; })},
               {name: L.completion, type: "line", yAxisIndex: 1, data: data.children.map(function (c) { return c.completion; })}]
    });
    // Picking a division (anywhere in its column, or its name) drills down to it, for the same period.
    function open(i) { var c = data.children[i]; if (c) window.location.href = c.url; }
    if (chart) {
      chart.getZr().on("click", function (e) {
        var point = [e.offsetX, e.offsetY];
        if (!chart.containPixel("grid", point)) return;
        open(Math.round(chart.convertFromPixel({gridIndex: 0}, point)[0]));
      });
      chart.on("click", "xAxis", function (p) { open(names.indexOf(p.value)); });
    }
  }
})();
