/* schemadocs: the one bootstrap of the site's own scripts.

   In: the steps the scripts register with window.sdOnPage(step), in the order the page loads
   them (schemadocs/render/assets.py, SCRIPTS). Out: every step run on each page the reader
   sees: once the page is loaded, and again after each of mkdocs-material's instant
   navigations (document$), from a file:// page too. A step that returns a promise (assets/unpack.js, inflating packed
   diagrams) holds the steps after it until it settles, so assets/diagrams.js finds the SVG. A
   step that throws is reported and the others still run. Once all have run for a page, the
   count on <html data-sd-shown> goes up by one. */
(function () {
  "use strict";

  var steps = [];
  var shown = false; // a page was shown: a step registered late runs at once

  function report(error) {
    setTimeout(function () { throw error; }); // in the console, without stopping the other steps
  }

  function run(from) {
    for (var i = from; i < steps.length; i++) {
      var result;
      try {
        result = steps[i]();
      } catch (error) {
        report(error);
      }
      if (result && typeof result.then === "function") {
        var next = i + 1;
        result.then(function () { run(next); }, function (error) { report(error); run(next); });
        return;
      }
    }
    done();
  }

  function done() { // every step ran for one more page: <html data-sd-shown="N"> (what a test waits for)
    var root = document.documentElement;
    root.setAttribute("data-sd-shown", String(Number(root.getAttribute("data-sd-shown") || 0) + 1));
  }

  function page() {
    shown = true;
    run(0);
  }

  window.sdOnPage = function (step) {
    steps.push(step);
    if (shown) {
      step();
    }
  };

  function onLoad() {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", page);
    } else {
      setTimeout(page); // after the scripts that follow this one have registered their steps
    }
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    // every page, instant navigation included; from a file:// page the theme's document$
    // completes without a page (no instant navigation there), so the page is the loaded one
    window.document$.subscribe({ next: page, complete: function () { if (!shown) { onLoad(); } } });
  } else {
    onLoad();
  }
})();
