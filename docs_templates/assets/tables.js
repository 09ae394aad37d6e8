/* schemadocs: long tables you can sort and filter, and wide tables you can scroll from the top.

   In: the page's tables. A table marked data-sd-sortable sorts by a click on a heading
   (the vendored tablesort; a cell's data-sort gives its sort value, e.g. a size in bytes).
   A table marked data-sd-filterable gets a box that keeps the rows holding the words typed.
   A form marked data-sd-filter="NAME" filters the rows of table[data-sd=NAME]: each text
   input matches the cell under the heading of the same name (case-insensitive; a `*` in it
   matches anything, and then the whole cell must match), each select the cell's exact text.
   The page's query string fills the form (columns.html?column=*_id&indexed=no), so a link can
   carry a question. A table wider than the content column gets a scrollbar above it too,
   kept in step with the one below. Runs on every page MkDocs Material's instant navigation
   shows (document$), else once on load. */
(function () {
  "use strict";

  function cellIndex(table, heading) {
    var cells = table.tHead ? table.tHead.rows[0].cells : [];
    for (var i = 0; i < cells.length; i++) {
      if (cells[i].textContent.trim().replace(/\?$/, "").toLowerCase() === heading.toLowerCase()) {
        return i;
      }
    }
    return -1;
  }

  function matcher(control) {
    var value = control.value.trim().toLowerCase();
    if (!value) {
      return null;
    }
    if (control.tagName === "SELECT") {
      return function (text) { return text === value; };
    }
    if (value.indexOf("*") >= 0) {
      var pattern = value.split("*").map(function (part) {
        return part.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
      }).join(".*");
      var whole = new RegExp("^" + pattern + "$");
      return function (text) { return whole.test(text); };
    }
    return function (text) { return text.indexOf(value) >= 0; };
  }

  function setUpFilter(form) {
    var table = document.querySelector('table[data-sd="' + form.getAttribute("data-sd-filter") + '"]');
    if (!table || form.dataset.sdReady) {
      return;
    }
    form.dataset.sdReady = "1";
    var controls = Array.prototype.slice.call(form.querySelectorAll("input, select"));
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var shown = form.querySelector("output");
    var params = new URLSearchParams(window.location.search);
    controls.forEach(function (control) {
      if (params.has(control.name)) {
        control.value = params.get(control.name);
      }
    });

    function apply() {
      var tests = [];
      controls.forEach(function (control) {
        var test = matcher(control);
        var column = cellIndex(table, control.name);
        if (test && column >= 0) {
          tests.push([column, test]);
        }
      });
      var count = 0;
      rows.forEach(function (row) {
        var keep = tests.every(function (t) {
          var cell = row.cells[t[0]];
          return cell && t[1](cell.textContent.trim().toLowerCase());
        });
        row.hidden = !keep;
        count += keep ? 1 : 0;
      });
      if (shown) {
        shown.textContent = count + " of " + rows.length + " shown";
      }
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.hidden = false;
    apply();
  }

  function setUpQuickFilter(table) {
    // A table marked data-sd-filterable gets one box above it: rows whose text holds every
    // word typed stay, the others hide.
    if (table.dataset.sdQuick || !table.tBodies.length || table.tBodies[0].rows.length < 2) {
      return;
    }
    table.dataset.sdQuick = "1";
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var box = document.createElement("input");
    box.type = "search";
    box.className = "sd-quick-filter";
    box.placeholder = "Filter these " + rows.length + " rows";
    box.setAttribute("aria-label", "Filter the table below");
    var anchor = table.closest(".md-typeset__scrollwrap") || table;
    anchor.parentElement.insertBefore(box, anchor);
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        row.hidden = !words.every(function (w) { return text.indexOf(w) >= 0; });
      });
    });
  }

  function scrollBox(table) {
    // Material makes a table its own scrolling box (inline-block, overflow auto) inside a
    // scrolling wrapper; whichever of them overflows is the one to mirror.
    var candidates = [table, table.parentElement, table.parentElement && table.parentElement.parentElement];
    for (var i = 0; i < candidates.length; i++) {
      var box = candidates[i];
      if (box && /auto|scroll/.test(getComputedStyle(box).overflowX) && box.scrollWidth > box.clientWidth + 1) {
        return box;
      }
    }
    return null;
  }

  function setUpTopScrollbar(table) {
    var box = scrollBox(table);
    if (!box || table.dataset.sdTopScroll) {
      return;
    }
    table.dataset.sdTopScroll = "1";
    var top = document.createElement("div");
    top.className = "sd-scroll-top";
    var inner = document.createElement("div");
    inner.style.width = box.scrollWidth + "px";
    inner.style.height = "1px";
    top.appendChild(inner);
    box.parentElement.insertBefore(top, box);
    var busy = false;
    function follow(from, to) {
      return function () {
        if (busy) {
          return;
        }
        busy = true;
        to.scrollLeft = from.scrollLeft;
        busy = false;
      };
    }
    top.addEventListener("scroll", follow(top, box));
    box.addEventListener("scroll", follow(box, top));
  }

  function setUp() {
    var content = document.querySelector("article") || document.body;
    content.querySelectorAll("form[data-sd-filter]").forEach(setUpFilter);
    if (window.Tablesort) {
      content.querySelectorAll("table[data-sd-sortable]").forEach(function (table) {
        if (!table.dataset.sdSorted && table.tHead) {
          table.dataset.sdSorted = "1";
          new window.Tablesort(table);
        }
      });
    }
    content.querySelectorAll("table[data-sd-filterable]").forEach(setUpQuickFilter);
    content.querySelectorAll("table").forEach(setUpTopScrollbar);
  }

  window.sdOnPage(setUp); // assets/boot.js: every page, instant navigation included
}());
