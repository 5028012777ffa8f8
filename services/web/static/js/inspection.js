// The scale verification form: each load's error and tolerance, and the verdict, as the inspector types. It asks the
// API's screening endpoint, which applies the same JJG 539 in-service table the server uses to record the verdict.
(function () {
  'use strict';
  var form = document.querySelector('form[data-scale-verification]');
  if (!form) return;
  document.querySelectorAll('.js-only').forEach(function (el) {
    el.hidden = false;
  });
  var zh = document.documentElement.lang !== 'en';
  var verdict = form.querySelector('[data-scale-verdict]');
  var interval = form.querySelector('[name="scaleIntervalG"]');
  var timer;

  function row(i) {
    return {
      load: form.querySelector('[name="loads.' + i + '.loadG"]'),
      indication: form.querySelector('[name="loads.' + i + '.indicationG"]'),
      out: form.querySelector('[data-load-result="' + i + '"]'),
    };
  }

  function check() {
    var rows = [];
    for (var i = 0; form.querySelector('[name="loads.' + i + '.loadG"]'); i++) rows.push(row(i));
    var filled = rows.filter(function (r) {
      return r.load.value !== '' && r.indication.value !== '';
    });
    rows.forEach(function (r) {
      if (r.load.value === '' || r.indication.value === '') r.out.textContent = '';
    });
    if (filled.length === 0) {
      verdict.textContent = '';
      return;
    }
    Promise.all(
      filled.map(function (r) {
        var q = new URLSearchParams({ referenceMassG: r.load.value, displayedMassG: r.indication.value });
        if (interval && interval.value) q.set('scaleIntervalG', interval.value);
        return fetch('/api/v1/screening/scale?' + q.toString())
          .then(function (res) {
            return res.ok ? res.json() : null;
          })
          .then(function (s) {
            r.out.textContent = s
              ? (s.deviationG >= 0 ? '+' : '') + s.deviationG + ' / ±' + s.mpeG + (s.exceedsTolerance ? ' ✗' : ' ✓')
              : '?';
            return s;
          });
      }),
    ).then(function (results) {
      if (
        results.some(function (s) {
          return s === null;
        })
      ) {
        verdict.textContent = '';
        return;
      }
      var fail = results.some(function (s) {
        return s.exceedsTolerance;
      });
      verdict.textContent = fail ? (zh ? '不合格' : 'fail') : zh ? '合格' : 'pass';
      verdict.className = fail ? 'verdict-fail' : 'verdict-pass';
    });
  }
  form.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(check, 250);
  });
  check();
})();
