// Refreshes a published recall's fan-out panel in place every few seconds while notices are still going out (the
// panel's own "Refresh" link does the same without script). Stops once the panel says it is finished, and pauses
// while the tab is hidden.
(function () {
  'use strict';
  var INTERVAL_MS = 4000;
  var timer;
  function live() {
    var panel = document.getElementById('fan-out');
    return panel && panel.getAttribute('data-live') === 'true' ? panel : null;
  }
  function schedule(ms) {
    clearTimeout(timer);
    if (live() && document.visibilityState !== 'hidden') timer = setTimeout(refresh, ms);
  }
  function refresh() {
    fetch(window.location.pathname, { credentials: 'same-origin', headers: { accept: 'text/html' } })
      .then(function (res) {
        return res.ok ? res.text() : Promise.reject(res.status);
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('fan-out');
        var current = live();
        if (fresh && current) current.replaceWith(document.importNode(fresh, true));
      })
      .catch(function () {
        /* a missed refresh is tried again at the next tick */
      })
      .then(function () {
        schedule(INTERVAL_MS);
      });
  }
  document.addEventListener('visibilitychange', function () {
    schedule(0);
  });
  schedule(INTERVAL_MS);
})();
