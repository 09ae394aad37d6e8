/* schemadocs: pan and zoom for every diagram of the site (div.sd-diagram holding an inline SVG).
 *
 * In: the page's diagrams, and Panzoom (@panzoom/panzoom, vendored in assets/vendor/). Out: each
 * diagram in a viewport sized to the content column (at most 75% of the window's height) with
 * buttons to zoom in and out, fit, show at actual size and open full screen; the wheel zooms
 * with Ctrl or Cmd held (a trackpad pinch), once the diagram was clicked, or in full screen;
 * a pinch zooms on a touch screen; a drag pans. Nodes stay links: a click follows its link
 * unless the pointer moved (that was a pan). The SVG stays inline, so the browser's find
 * still finds its text. Runs again after each instant navigation (mkdocs-material's document$).
 */
(function () {
  "use strict";
  var IN_PAGE_HEIGHT = 0.75; // of the window's height, for a diagram in the page
  var MOVED = 5; // px: a pointer that moved more than this panned, and does not click

  function naturalSize(svg) {
    var box = svg.viewBox && svg.viewBox.baseVal;
    if (box && box.width && box.height) {
      return { w: box.width * 4 / 3, h: box.height * 4 / 3 }; // Graphviz draws in points
    }
    var rect = svg.getBoundingClientRect();
    return { w: rect.width || 300, h: rect.height || 150 };
  }

  function button(bar, action, text, title) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "sd-diagram-button";
    b.setAttribute("data-sd-action", action);
    b.setAttribute("title", title);
    b.setAttribute("aria-label", title);
    b.textContent = text;
    bar.appendChild(b);
    return b;
  }

  function setup(box) {
    var svg = box.querySelector("svg");
    if (!svg || box.hasAttribute("data-sd-zoom") || typeof window.Panzoom !== "function") {
      return;
    }
    box.setAttribute("data-sd-zoom", "ready");
    var size = naturalSize(svg);
    var bar = document.createElement("div");
    bar.className = "sd-diagram-tools";
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Diagram: zoom and full screen");
    button(bar, "in", "+", "Zoom in");
    button(bar, "out", "\u2212", "Zoom out");
    button(bar, "fit", "Fit", "Fit to the frame (reset)");
    button(bar, "actual", "1:1", "Actual size");
    var full = button(bar, "full", "Full screen", "Full screen");
    var view = document.createElement("div");
    view.className = "sd-viewport";
    view.setAttribute("title", "Drag to pan; pinch, or Ctrl + wheel, to zoom");
    var canvas = document.createElement("div");
    canvas.className = "sd-canvas";
    svg.parentNode.insertBefore(bar, svg);
    svg.parentNode.insertBefore(view, svg);
    view.appendChild(canvas);
    canvas.appendChild(svg);
    svg.removeAttribute("style");
    svg.setAttribute("width", "100%");
    svg.setAttribute("height", "100%");

    var fit = 1;
    var zoom = window.Panzoom(canvas, {
      canvas: true, // drag anywhere in the viewport
      minScale: 0.25,
      maxScale: 8,
      step: 0.3,
      cursor: "grab",
      touchAction: "pan-x pan-y", // one finger still scrolls the page; two fingers pinch
      handleStartEvent: function (event) { event.preventDefault(); }
    });

    function layout() {
      var isFull = box.classList.contains("sd-full");
      var width = view.clientWidth;
      var height = isFull ? view.clientHeight : Math.max(240, window.innerHeight * IN_PAGE_HEIGHT);
      if (!width || !height) {
        return; // hidden: laid out at the next resize
      }
      fit = Math.min(1, width / size.w, height / size.h);
      canvas.style.width = size.w * fit + "px";
      canvas.style.height = size.h * fit + "px";
      view.style.height = isFull ? "" : Math.ceil(size.h * fit) + "px";
      zoom.setOptions({ maxScale: Math.max(8, 4 / fit) });
      zoom.reset({ animate: false });
    }

    function setFull(on) {
      box.classList.toggle("sd-full", on);
      document.documentElement.classList.toggle("sd-diagram-open", on);
      full.textContent = on ? "Close" : "Full screen";
      full.setAttribute("title", on ? "Leave full screen (Esc)" : "Full screen");
      full.setAttribute("aria-label", full.getAttribute("title"));
      if (on && box.requestFullscreen && !document.fullscreenElement) {
        box.requestFullscreen().catch(function () { /* the overlay alone fills the window */ });
      } else if (!on && document.fullscreenElement === box) {
        document.exitFullscreen().catch(function () {});
      }
      layout();
    }

    bar.addEventListener("click", function (event) {
      var action = event.target.getAttribute && event.target.getAttribute("data-sd-action");
      if (action === "in") { zoom.zoomIn(); }
      else if (action === "out") { zoom.zoomOut(); }
      else if (action === "fit") { zoom.reset(); }
      else if (action === "actual") { zoom.zoom(1 / fit); }
      else if (action === "full") { setFull(!box.classList.contains("sd-full")); }
    });
    view.addEventListener("wheel", function (event) {
      if (event.ctrlKey || event.metaKey || box.classList.contains("sd-active") || box.classList.contains("sd-full")) {
        zoom.zoomWithWheel(event);
      }
    }, { passive: false });
    var start = null;
    view.addEventListener("pointerdown", function (event) {
      start = { x: event.clientX, y: event.clientY };
    }, true);
    view.addEventListener("click", function (event) {
      if (start && Math.abs(event.clientX - start.x) + Math.abs(event.clientY - start.y) > MOVED) {
        event.preventDefault(); // the end of a pan, not a click on a node
        event.stopPropagation();
      }
    }, true);
    document.addEventListener("fullscreenchange", function () {
      if (!document.fullscreenElement && box.classList.contains("sd-full")) {
        setFull(false);
      } else {
        layout();
      }
    });
    box.sdLayout = layout;
    box.sdClose = function () { setFull(false); };
    box.sdZoom = zoom;
    layout();
  }

  function boxes() {
    return Array.prototype.slice.call(document.querySelectorAll("div.sd-diagram"));
  }

  function init() {
    boxes().forEach(setup);
  }

  var listening = false;
  function listenOnce() {
    if (listening) {
      return;
    }
    listening = true;
    var timer = null;
    window.addEventListener("resize", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        boxes().forEach(function (box) { if (box.sdLayout) { box.sdLayout(); } });
      }, 100);
    });
    document.addEventListener("pointerdown", function (event) {
      boxes().forEach(function (box) { box.classList.toggle("sd-active", box.contains(event.target)); });
    }, true);
    function closeAll() {
      boxes().forEach(function (box) { if (box.classList.contains("sd-full")) { box.sdClose(); } });
    }
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        closeAll();
      }
    });
    window.addEventListener("hashchange", closeAll); // a "+N more" node links to its list below the diagram
  }

  listenOnce();
  window.sdOnPage(init); // assets/boot.js: every page, instant navigation included
})();
