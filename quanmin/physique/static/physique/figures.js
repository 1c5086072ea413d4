// figures.js: moved out of physique/figures.html so that the pages run under a
// Content-Security-Policy without 'unsafe-inline' (issue 15, item 10).
(function () {
  if (!window.echarts) return;
  var d = JSON.parse(document.getElementById("figures-data").textContent), L = d.labels;
  function show(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    el.hidden = false;
    var chart = echarts.init(el);
    chart.setOption(option);
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function target(value, name) { return value == null ? undefined : {symbol: "none", data: [{yAxis: value, name: name}], label: {formatter: name + " {c}"}}; }
  if (d.years.length) {
    show("chart-years", {
      tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: d.years.map(function (y) { return String(y.year); })},
      yAxis: [{type: "value", name: L.tests}, {type: "value", name: "%", min: 0, max: 100}],
      series: [
        {type: "bar", name: L.tests, data: d.years.map(function (y) { return y.tests; })},
        {type: "bar", name: L.people, data: d.years.map(function (y) { return y.people; }), markLine: target(d.targets.people, L.people)},
        {type: "line", yAxisIndex: 1, name: L.pass, data: d.years.map(function (y) { return y.pass_share; }), markLine: target(d.targets.pass_share, L.pass)},
        {type: "line", yAxisIndex: 1, name: L.good, data: d.years.map(function (y) { return y.student_good_share; }), markLine: target(d.targets.student_good_share, L.good)}
      ]
    });
  }
  if (d.groups.length) {
    var names = [], seen = {};
    d.groups.forEach(function (g) { if (!seen[g.label]) { seen[g.label] = 1; names.push(g.label); } });
    function series(sex, field, label) {
      return {type: "bar", name: label, data: names.map(function (n) {
        var g = d.groups.find(function (x) { return x.label === n && x.sex === sex; });
        return g ? (g.pass_share != null ? g.pass_share : g.student_good_share) : null; })};
    }
    show("chart-groups", {
      tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: names}, yAxis: {type: "value", name: "%", min: 0, max: 100},
      series: [series("male", "share", L.male), series("female", "share", L.female)]
    });
  }
  if (d.children.length) {
    show("chart-children", {
      tooltip: {trigger: "axis"}, legend: {top: 0}, grid: {left: 8, right: 24, top: 32, bottom: 8, containLabel: true},
      xAxis: {type: "category", data: d.children.map(function (c) { return c.name; }), axisLabel: {rotate: d.children.length > 8 ? 45 : 0}},
      yAxis: [{type: "value", name: L.tests}, {type: "value", name: "%", min: 0, max: 100}],
      series: [
        {type: "bar", name: L.tests, data: d.children.map(function (c) { return c.tests; })},
        {type: "line", yAxisIndex: 1, name: L.pass, data: d.children.map(function (c) { return c.pass_share; })},
        {type: "line", yAxisIndex: 1, name: L.good, data: d.children.map(function (c) { return c.student_good_share; })}
      ]
    });
  }
})();
