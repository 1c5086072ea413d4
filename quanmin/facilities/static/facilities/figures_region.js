// figures_region.js: moved out of facilities/figures/region.html so that the pages run under a
// Content-Security-Policy without 'unsafe-inline' (issue 15, item 10).
(function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("figures-data").textContent);
  function show(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    el.hidden = false;
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  if (data.types.length) {
    var types = data.types.slice().reverse();
    document.getElementById("chart-types").style.height = Math.max(200, types.length * 24 + 40) + "px";
    show("chart-types", {
      tooltip: {trigger: "axis", axisPointer: {type: "shadow"}},
      grid: {left: 8, right: 24, top: 8, bottom: 32, containLabel: true},
      xAxis: {type: "value", name: data.labels.count, nameLocation: "middle", nameGap: 28},
      yAxis: {type: "category", axisLabel: {interval: 0}, data: types.map(function (t) { return t.label; })},
      series: [{type: "bar", name: data.labels.count, data: types.map(function (t) { return t.count; })}]
    });
  }
  if (data.children.length) {
    var series = {type: "bar", name: data.labels.perCapita, data: data.children.map(function (c) { return c.value; })};
    if (data.target !== null) {
      series.markLine = {symbol: "none", data: [{yAxis: data.target, name: data.labels.target}],
                         label: {position: "insideEndTop", formatter: data.labels.target + " {c}"}};
    }
    show("chart-children", {
      tooltip: {trigger: "axis"},
      grid: {left: 8, right: 24, top: 40, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: data.children.map(function (c) { return c.name; }), axisLabel: {interval: 0, rotate: data.children.length > 8 ? 45 : 0}},
      yAxis: {type: "value", name: data.labels.perCapita, nameTextStyle: {align: "left"}},
      series: [series]
    });
  }
})();
