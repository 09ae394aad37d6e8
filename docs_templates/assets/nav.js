/* schemadocs: the navigation's long lists, filled in from one shared file.

   In: the page's navigation lists marked data-sd-nav="SECTION" (the page keeps only its own
   entries there: the active one, and the one whose folder holds the page) and
   window.__sd_nav, set by assets/nav-data.js (loaded just before this script, the same file
   for every page, so the browser fetches it once): SECTION -> [[path from the site's root,
   title], ...]. Out: each marked list holding every entry in order, the page's own entries
   kept where they are (the active one with its table of contents), the others made as the
   theme makes them, titles set as text. Runs on every page MkDocs Material's instant
   navigation shows (document$), else once on load. */
(function () {
  "use strict";

  var script = document.currentScript;
  var root = script ? new URL("..", script.src) : null; // this file lives in assets/

  function entry(href, title) {
    var item = document.createElement("li");
    item.className = "md-nav__item";
    var link = document.createElement("a");
    link.className = "md-nav__link";
    link.href = href;
    var text = document.createElement("span");
    text.className = "md-ellipsis";
    text.textContent = title;
    link.appendChild(text);
    item.appendChild(link);
    return item;
  }

  function fill() {
    var lists = window.__sd_nav;
    if (!lists || !root) {
      return;
    }
    document.querySelectorAll("ul[data-sd-nav]").forEach(function (list) {
      var entries = lists[list.getAttribute("data-sd-nav")];
      if (!Array.isArray(entries)) {
        return;
      }
      var own = {};
      Array.prototype.forEach.call(list.children, function (item) {
        var link = item.querySelector(":scope > a");
        if (link) {
          own[link.href] = item;
        }
      });
      var items = document.createDocumentFragment();
      entries.forEach(function (e) {
        var href = new URL(e[0], root).href;
        items.appendChild(own[href] || entry(href, e[1]));
      });
      list.replaceChildren(items);
      list.removeAttribute("data-sd-nav");
    });
  }

  window.sdOnPage(fill); // assets/boot.js: every page, instant navigation included
})();
