// The draw's seed check in the reader's own browser: SHA-256 of the revealed seed's 32 bytes against the commitment.
(function () {
  'use strict';
  var button = document.getElementById('check-commitment');
  var seed = document.getElementById('seed');
  var commitment = document.getElementById('seed-commitment');
  var out = document.getElementById('commitment-result');
  if (!button || !seed || !commitment || !out) return;
  button.parentElement.hidden = false;
  button.addEventListener('click', function () {
    var hex = seed.textContent.trim();
    if (!window.crypto || !window.crypto.subtle || !/^[0-9a-f]{64}$/.test(hex)) {
      out.textContent = button.getAttribute('data-unavailable');
      return;
    }
    var bytes = new Uint8Array(32);
    for (var i = 0; i < 32; i++) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    window.crypto.subtle.digest('SHA-256', bytes).then(function (digest) {
      var got = Array.prototype.map
        .call(new Uint8Array(digest), function (b) {
          return ('0' + b.toString(16)).slice(-2);
        })
        .join('');
      var ok = got === commitment.textContent.trim();
      out.textContent = button.getAttribute(ok ? 'data-ok' : 'data-bad');
      out.className = ok ? 'verdict-pass' : 'verdict-fail';
    });
  });
})();
