// record.js: moved out of physique/record.html so that the pages run under a
// Content-Security-Policy without 'unsafe-inline' (issue 15, item 10).
(function () {
  if (!window.echarts) return;
  var data = JSON.parse(document.getElementById("record-data").textContent);
  var labels = JSON.parse(document.getElementById("record-labels").textContent);
  function show(id, title, series) {
    var el = document.getElementById(id);
    if (!el || !series.length) return;
    el.hidden = false;
    var chart = echarts.init(el);
    chart.setOption({
      title: {text: title, textStyle: {fontSize: 14}}, tooltip: {trigger: "axis"},
      legend: {type: "scroll", top: 24}, grid: {left: 8, right: 24, top: 64, bottom: 8, containLabel: true},
      xAxis: {type: "time"}, yAxis: {type: "value"},
      series: series.map(function (s) { return {name: s.name, type: "line", data: s.data, symbolSize: 8}; })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  show("chart-totals", labels.total, data.totals);
  show("chart-items", labels.items, data.items);
})();
