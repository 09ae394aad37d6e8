/* schemadocs: packed diagrams inflated into the page (schemadocs/render/packed_diagrams.py).

   In: the page's div.sd-packed elements, each holding a diagram's SVG as raw DEFLATE in
   base64 (data-z) and a <noscript> note. Out: each element replaced by its SVG markup, the
   very string an inline build puts there, so the page is the same to every other script,
   to the browser's find and to a click; it runs before assets/diagrams.js sets the diagrams
   up (assets/boot.js waits for it). The browser's own DecompressionStream("deflate-raw")
   inflates (Chromium 103, Firefox 113, Safari 16.4 and later); where it is missing, the note
   is shown instead. Works from a file:// page too: nothing is fetched. */
(function () {
  "use strict";

  function bytes(base64) {
    var text = atob(base64);
    var out = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      out[i] = text.charCodeAt(i);
    }
    return out;
  }

  function inflate(box) {
    var inflater = new DecompressionStream("deflate-raw");
    var input = inflater.writable.getWriter(); // fed directly: a Blob's stream goes through the blob registry
    input.write(bytes(box.getAttribute("data-z"))).catch(function () { /* reported by the reading side */ });
    input.close().catch(function () {});
    return new Response(inflater.readable).text().then(function (svg) {
      if (box.parentNode) {
        box.outerHTML = svg;
      }
    });
  }

  function note(box) {
    var text = document.createElement("p");
    text.className = "sd-packed-note";
    text.textContent = box.textContent.trim(); // the <noscript> note, raw text when scripts run
    box.replaceWith(text);
  }

  window.sdOnPage(function () {
    var boxes = Array.prototype.slice.call(document.querySelectorAll("div.sd-packed[data-z]"));
    if (!boxes.length) {
      return undefined;
    }
    if (typeof window.DecompressionStream !== "function") {
      boxes.forEach(note);
      return undefined;
    }
    return Promise.all(boxes.map(function (box) {
      return inflate(box).catch(function (error) {
        note(box);
        throw error;
      });
    }));
  });
})();
