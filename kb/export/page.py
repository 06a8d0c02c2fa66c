"""The stylesheet and script inlined into the HTML export, so the page needs no other file."""

from __future__ import annotations

PAGE_CSS = """
:root { --fg: #1d2430; --muted: #667085; --line: #e4e7ec; --accent: #1f6feb; --bg: #fff; }
* { box-sizing: border-box; }
html, body { height: 100%; }
body { margin: 0; display: flex; flex-direction: column; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { flex: none; background: #f8fafc; border-bottom: 1px solid var(--line); padding: .7rem 1rem; }
header h1 { font-size: 1.15rem; margin: 0 0 .2rem; }
.counts { margin: 0 0 .5rem; color: var(--muted); font-size: .9rem; }
#search { width: min(34rem, 70%); padding: .4rem .6rem; font-size: 1rem; border: 1px solid #c9ced6; border-radius: 6px; }
#count { color: var(--muted); margin-left: .5rem; }
/* Tree and entry view scroll on their own, so opening an entry never scrolls the tree away. */
main { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(18rem, 38%) 1fr; }
nav#tree { overflow: auto; border-right: 1px solid var(--line); padding: .6rem .8rem; overflow-wrap: anywhere; }
details { margin: .1rem 0 .1rem .2rem; }
details details { margin-left: 1rem; }
summary { cursor: pointer; padding: .1rem 0; }
details.domain > summary { font-weight: 650; }
details.skill > summary { color: #175cd3; }
.n { display: inline-block; min-width: 1.6rem; padding: 0 .35rem; border-radius: 9px; background: #eef2f6; color: var(--muted); font-size: .78rem; text-align: center; }
ul.entries { list-style: none; margin: .15rem 0 .3rem 1.2rem; padding: 0; }
li.entry { padding: .1rem 0; }
li.entry a { color: var(--fg); text-decoration: none; }
li.entry a:hover, li.entry.current a { color: var(--accent); text-decoration: underline; }
code.loc { display: block; color: var(--muted); font-size: .75rem; }
#view { overflow: auto; padding: 1rem 1.4rem; min-width: 0; }
article.entry-view { display: none; scroll-margin-top: 1rem; }
article.entry-view:target { display: block; }
#view:has(article:target) .hint { display: none; }
.hint, .empty { color: var(--muted); }
article h2 { margin-top: 0; font-size: 1.15rem; }
.path { color: #175cd3; margin: 0 0 .5rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: 0 0 .8rem; }
dt { color: var(--muted); }
dd { margin: 0; }
pre.content { white-space: pre-wrap; overflow-wrap: anywhere; background: #f8fafc; border: 1px solid var(--line); border-radius: 6px; padding: .8rem; font: 13px/1.5 ui-monospace, "SFMono-Regular", Menlo, monospace; }
[hidden] { display: none !important; }
"""

# Plain JS, no library: search filters entries by every typed word (title, text and locator),
# hides empty folders and opens the ones with matches. "?q=words" or "#q=words" in the address
# pre-fills the search, so a link (or a headless browser) can open the page already filtered.
PAGE_JS = r"""
(function () {
  "use strict";
  var input = document.getElementById("search");
  var count = document.getElementById("count");
  var items = Array.prototype.map.call(document.querySelectorAll("#tree li.entry"), function (li) {
    var art = document.getElementById("e-" + li.getAttribute("data-entry"));
    return { li: li, text: (li.textContent + " " + (art ? art.textContent : "")).toLowerCase() };
  });
  var folders = Array.prototype.slice.call(document.querySelectorAll("#tree details")).reverse();

  function apply(query) {
    var terms = query.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (it) {
      var ok = terms.every(function (t) { return it.text.indexOf(t) !== -1; });
      it.li.hidden = !ok;
      if (ok) { shown += 1; }
    });
    folders.forEach(function (d) {
      var n = d.querySelectorAll("li.entry:not([hidden])").length;
      var badge = d.querySelector(":scope > summary .n");
      d.hidden = n === 0;
      badge.textContent = terms.length ? n + "/" + badge.getAttribute("data-total") : badge.getAttribute("data-total");
      if (terms.length) { d.open = n > 0; }
    });
    count.textContent = terms.length ? shown + " of " + items.length + " entries match" : items.length + " entries";
    document.documentElement.setAttribute("data-matches", String(shown));
  }

  function showTarget() {
    var id = location.hash.indexOf("#e-") === 0 ? location.hash.slice(3) : "";
    items.forEach(function (it) {
      var here = it.li.getAttribute("data-entry") === id;
      it.li.classList.toggle("current", here);
      if (here) {
        for (var d = it.li.closest("details"); d; d = d.parentElement.closest("details")) { d.open = true; }
      }
    });
  }

  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { apply(input.value); }, 120);
  });
  window.addEventListener("hashchange", showTarget);

  var q = new URLSearchParams(location.search).get("q") || "";
  if (!q && location.hash.indexOf("#q=") === 0) { q = decodeURIComponent(location.hash.slice(3)); }
  input.value = q;
  apply(q);
  showTarget();
  document.documentElement.setAttribute("data-ready", "1");
})();
"""
