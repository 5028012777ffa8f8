// The report form's live behaviour; the form works without it. The scale helper asks the API's screening endpoint,
// which runs the same JJG 539 rule as intake; the district field suggests counties as you type.
(function () {
  'use strict';
  var form = document.querySelector('form.report-form');
  if (!form) return;
  document.querySelectorAll('.js-only').forEach(function (el) {
    el.hidden = false;
  });

  var ref = form.querySelector('[name="evidence.referenceMassG"]');
  var shown = form.querySelector('[name="evidence.displayedMassG"]');
  var interval = form.querySelector('[name="evidence.scaleIntervalG"]');
  var max = form.querySelector('[name="evidence.scaleMaxG"]');
  var out = document.getElementById('screening-result');
  var picker = form.querySelector('[data-phone-picker]');
  var zh = document.documentElement.lang !== 'en';

  function text(s) {
    var dev = Math.abs(s.deviationG);
    if (!s.exceedsTolerance)
      return zh
        ? '偏差 ' + dev + ' 克，在允许误差（±' + s.mpeG + ' 克）以内。'
        : 'A deviation of ' + dev + ' g, within the permitted error of ±' + s.mpeG + ' g.';
    if (s.favours === 'merchant')
      return zh
        ? '秤多称了 ' + dev + ' 克，超出允许误差（±' + s.mpeG + ' 克）' + s.ratio + ' 倍，对商家有利。'
        : 'The scale read ' + dev + ' g heavy: ' + s.ratio + ' × the permitted error of ±' + s.mpeG + ' g, in the merchant’s favour.';
    return zh
      ? '秤少称了 ' + dev + ' 克，超出允许误差（±' + s.mpeG + ' 克），对您有利。'
      : 'The scale read ' + dev + ' g light, beyond the permitted error of ±' + s.mpeG + ' g, in your favour.';
  }

  var pending;
  function screen() {
    if (!ref || !shown || !out) return;
    if (!ref.value || !shown.value) {
      out.replaceChildren();
      return;
    }
    var q = new URLSearchParams({ referenceMassG: ref.value, displayedMassG: shown.value });
    if (interval && interval.value) q.set('scaleIntervalG', interval.value);
    if (max && max.value) q.set('scaleMaxG', max.value);
    clearTimeout(pending);
    pending = setTimeout(function () {
      fetch('/api/v1/screening/scale?' + q.toString(), { headers: { 'accept-language': zh ? 'zh-CN' : 'en' } })
        .then(function (r) {
          return r.json().then(function (body) {
            return { ok: r.ok, body: body };
          });
        })
        .then(function (r) {
          var box = document.createElement('div');
          box.className = 'notice ' + (r.ok && !r.body.exceedsTolerance ? 'notice-success' : 'notice-warning');
          box.setAttribute('role', 'status');
          var strong = document.createElement('strong');
          strong.textContent = zh ? '初步判断：' : 'First assessment: ';
          box.appendChild(strong);
          box.appendChild(
            document.createTextNode(r.ok ? text(r.body) : r.body.error.details ? r.body.error.details[0].message : r.body.error.message),
          );
          out.replaceChildren(box);
        })
        .catch(function () {
          out.replaceChildren();
        });
    }, 250);
  }
  [ref, shown, interval, max].forEach(function (el) {
    if (el) el.addEventListener('input', screen);
  });
  if (picker && ref) {
    picker.addEventListener('change', function () {
      if (picker.value) {
        ref.value = picker.value;
        screen();
      }
    });
  }

  var district = form.querySelector('input[name="merchant.districtCode"]');
  var options = document.getElementById('district-options');
  var last = '';
  if (district && options) {
    district.addEventListener('input', function () {
      var q = district.value.trim();
      if (q.length < 2 || q === last || /^\d{6}$/.test(q)) return;
      last = q;
      fetch('/api/v1/jurisdictions?q=' + encodeURIComponent(q) + '&limit=12')
        .then(function (r) {
          return r.ok ? r.json() : { items: [] };
        })
        .then(function (body) {
          options.replaceChildren.apply(
            options,
            body.items.map(function (d) {
              var o = document.createElement('option');
              o.value = d.code;
              o.label = d.fullName;
              o.textContent = d.fullName;
              return o;
            }),
          );
        });
    });
  }
})();
