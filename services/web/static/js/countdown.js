// Keeps deadline countdowns current on pages left open across midnight (Asia/Shanghai days).
(function () {
  'use strict';
  var zh = document.documentElement.lang !== 'en';
  function today() {
    return new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10);
  }
  function update() {
    var t = today();
    document.querySelectorAll('[data-due]').forEach(function (el) {
      var days = Math.round((Date.parse(el.getAttribute('data-due')) - Date.parse(t)) / 86400000);
      var text = el.querySelector('.countdown-text');
      if (!text) return;
      text.textContent =
        days < 0
          ? zh
            ? '已超期 ' + -days + ' 天'
            : -days + ' day(s) overdue'
          : days === 0
            ? zh
              ? '今天到期'
              : 'due today'
            : zh
              ? '还剩 ' + days + ' 天'
              : days + ' day(s) left';
      el.classList.toggle('overdue', days < 0);
      el.classList.toggle('soon', days >= 0 && days <= 1);
    });
  }
  update();
  setInterval(update, 60 * 1000);
})();
