// Draws the dashboard's charts with Chart.js from the data the page carries (the tables show the same numbers).
(function () {
  'use strict';
  var el = document.getElementById('dashboard-data');
  if (!el || typeof Chart === 'undefined') return;
  var data = JSON.parse(el.textContent);
  var palette = ['#14508c', '#b26a00', '#1e6b34', '#6b4fa1'];
  var weeks = document.getElementById('chart-weeks');
  if (weeks) {
    new Chart(weeks, {
      type: 'bar',
      data: {
        labels: data.weeks,
        datasets: data.series.map(function (s, i) {
          return { label: s.label, data: s.data, backgroundColor: palette[i % palette.length], maxBarThickness: 48 };
        }),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }
  var compliance = document.getElementById('chart-compliance');
  if (compliance) {
    new Chart(compliance, {
      type: 'bar',
      data: {
        labels: data.compliance.map(function (r) {
          return r.label;
        }),
        datasets: [
          {
            label: data.labels.onTime,
            data: data.compliance.map(function (r) {
              return r.rate;
            }),
            backgroundColor: '#1e6b34',
            maxBarThickness: 48,
            yAxisID: 'rate',
          },
          {
            label: data.labels.overdue,
            data: data.compliance.map(function (r) {
              return r.overdue;
            }),
            backgroundColor: '#b3261e',
            maxBarThickness: 48,
            yAxisID: 'count',
          },
        ],
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          rate: {
            position: 'left',
            min: 0,
            max: 100,
            ticks: {
              callback: function (v) {
                return v + '%';
              },
            },
          },
          count: { position: 'right', beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 } },
        },
      },
    });
  }
  document.documentElement.setAttribute('data-charts', 'drawn');
})();
