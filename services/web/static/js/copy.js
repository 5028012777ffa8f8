// Copy buttons on the receipt page (the codes are selectable text without it).
(function () {
  'use strict';
  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    button.hidden = false;
    button.addEventListener('click', function () {
      var target = document.getElementById(button.getAttribute('data-copy'));
      if (!target || !navigator.clipboard) return;
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        var label = button.textContent;
        button.textContent = button.getAttribute('data-copied');
        setTimeout(function () {
          button.textContent = label;
        }, 2000);
      });
    });
  });
})();
