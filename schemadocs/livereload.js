/* schemadocs serve --watch: reload this page when the site has been rebuilt.
   Polls the local server's version endpoint; loads nothing from elsewhere. */
(function () {
  "use strict";
  var script = document.currentScript;
  var seen = script ? script.getAttribute("data-version") : null;
  function poll() {
    fetch("/__schemadocs__/version", { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var now = String(data.version);
        if (seen !== null && now !== seen) {
          window.location.reload();
          return;
        }
        seen = now;
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }
  window.setTimeout(poll, 1000);
})();
