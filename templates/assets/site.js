/* labgen course page behaviour: copy buttons, theme toggle, task lists, offline search.
   No dependencies, no network: works from file://, from `labgen serve` and any static host. */
(function () {
  "use strict";
  var body = document.body;
  var ui = body.dataset;

  /* ---- Copy buttons: the text is computed at build time (pre[data-copy]). ---- */
  function announce(text) {
    var status = document.getElementById("copy-status");
    if (status) { status.textContent = ""; status.textContent = text; }
  }

  function copyWithSelection(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.top = "-1000px";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function copy(text) {
    window.labgenLastCopy = text;
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(function () { return true; },
        function () { return copyWithSelection(text); });
    }
    return Promise.resolve(copyWithSelection(text));
  }

  function selectCode(pre) {
    var range = document.createRange();
    range.selectNodeContents(pre.querySelector("code") || pre);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  /* The button sits in its own row above the code, never over it (a long line would
     scroll under it), and comes before the code in the focus order as on screen. */
  function addCopyButtons(root) {
    root.querySelectorAll("pre[data-copy]").forEach(function (pre) {
      if (pre.parentNode.classList.contains("code-block")) return; /* has its button */
      var wrap = document.createElement("div");
      wrap.className = "code-block";
      pre.parentNode.insertBefore(wrap, pre);
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = ui.copy;
      button.setAttribute("aria-label", ui.copyLabel);
      button.addEventListener("click", function () {
        copy(pre.dataset.copy).then(function (ok) {
          if (!ok) { selectCode(pre); }
          button.textContent = ok ? ui.copied : ui.copyFailed;
          button.classList.toggle("done", ok);
          announce(button.textContent);
          setTimeout(function () { button.textContent = ui.copy; button.classList.remove("done"); }, 2000);
        });
      });
      wrap.appendChild(button);
      wrap.appendChild(pre);
    });
  }

  /* ---- Theme: follows the system unless the reader chose; the choice is remembered. ---- */
  var root = document.documentElement;
  var toggle = document.getElementById("theme-toggle");
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  function currentTheme() {
    return root.getAttribute("data-theme") || (media && media.matches ? "dark" : "light");
  }
  function labelToggle() {
    if (!toggle) return;
    var dark = currentTheme() === "dark";
    toggle.setAttribute("aria-label", dark ? ui.themeLight : ui.themeDark);
    toggle.setAttribute("aria-pressed", dark ? "true" : "false");
  }
  if (toggle) {
    toggle.hidden = false; /* shown only where this script runs */
    toggle.addEventListener("click", function () {
      var next = currentTheme() === "dark" ? "light" : "dark";
      root.setAttribute("data-theme", next);
      try { localStorage.setItem("labgen-theme", next); } catch (e) { /* private mode */ }
      labelToggle();
    });
    if (media && media.addEventListener) media.addEventListener("change", labelToggle);
    labelToggle();
  }

  /* ---- Task lists: enabled, remembered per page path (each attendee has their own pages). ---- */
  function enableTasks(main) {
    var boxes = main ? main.querySelectorAll("li > input[type=checkbox]") : [];
    if (boxes.length) {
      var key = "labgen-tasks:" + location.pathname;
      var saved = null;
      try { saved = JSON.parse(localStorage.getItem(key) || "null"); } catch (e) { saved = null; }
      boxes.forEach(function (box, i) {
        if (box.labgenTask) return; /* set up already (kept by serve's live update) */
        box.labgenTask = true;
        box.disabled = false;
        box.removeAttribute("disabled");
        var item = box.parentNode;
        item.classList.add("task");
        box.setAttribute("aria-label", item.textContent.trim());
        if (saved && typeof saved[i] === "boolean") box.checked = saved[i];
        box.addEventListener("change", function () {
          var all = document.querySelectorAll("main li > input[type=checkbox]");
          var state = Array.prototype.map.call(all, function (b) { return b.checked; });
          try { localStorage.setItem(key, JSON.stringify(state)); } catch (e) { /* private mode */ }
        });
      });
    }
  }

  /* The page's content, now and each time `labgen serve` updates it in place with a new
     build (`labgen:content`, <main> as detail.root; what is set up already is skipped). */
  addCopyButtons(document);
  enableTasks(document.querySelector("main"));
  document.addEventListener("labgen:content", function (event) {
    var main = event.detail && event.detail.root;
    if (!main) return;
    addCopyButtons(main);
    enableTasks(main);
    prepared = null; /* the search index may have changed too: read again on the next search */
    loading = false;
  });

  /* ---- Search: accent- and case-insensitive, over every section of every page. ---- */
  var input = document.getElementById("search-input");
  var panel = document.querySelector(".search-panel");
  var form = document.querySelector("form.search");
  if (form) form.hidden = false; /* shown only where this script runs */
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");

  /* One character in, one out, so positions in the folded text are positions in the text. */
  var foldCache = {};
  function foldChar(c) {
    var f = foldCache[c];
    if (f !== undefined) return f;
    var d = c.toLowerCase().normalize("NFD").replace(/[\u0300-\u036f]/g, "");
    f = d.length === 1 ? d : (c.toLowerCase().length === 1 ? c.toLowerCase() : c);
    foldCache[c] = f;
    return f;
  }
  function fold(text) {
    var out = "";
    for (var i = 0; i < text.length; i++) out += foldChar(text[i]);
    return out;
  }

  /* The index is in shards (assets/search/N.js, listed by search-index.js), loaded with
     <script> elements on the first search: fetch() is refused on file://. */
  var prepared = null;
  var loading = false;
  function load(then) {
    if (loading) return;
    loading = true;
    var shards = window.labgenSearchShards || [];
    var left = shards.length;
    function done() {
      left -= 1;
      if (left > 0) return;
      var loaded = window.labgenSearch || {};
      var all = [];
      for (var k = 0; k < shards.length; k++) {
        (loaded[k] || []).forEach(function (page) { page.forEach(function (e) { all.push(e); }); });
      }
      prepared = all.map(function (e) {
        return { e: e, page: fold(e.page), heading: fold(e.heading), text: fold(e.text) };
      });
      then();
    }
    if (!left) { left = 1; done(); return; }
    shards.forEach(function (src) {
      var script = document.createElement("script");
      script.src = (ui.root || "") + src;
      script.onload = done;
      script.onerror = done;
      document.head.appendChild(script);
    });
  }
  function entries() { return prepared || []; }

  function search(query) {
    var terms = fold(query).split(/\s+/).filter(function (t) { return t.length > 0; });
    if (!terms.length) return [];
    var results = [];
    entries().forEach(function (p) {
      var score = 0;
      for (var i = 0; i < terms.length; i++) {
        var t = terms[i];
        var inHeading = p.heading.indexOf(t) >= 0, inPage = p.page.indexOf(t) >= 0, inText = p.text.indexOf(t) >= 0;
        if (!inHeading && !inPage && !inText) return;
        score += (inHeading ? 10 : 0) + (inPage ? 3 : 0) + (inText ? 1 : 0);
      }
      results.push({ p: p, score: score, term: terms[0] });
    });
    results.sort(function (a, b) { return b.score - a.score; });
    return results.slice(0, 20);
  }

  function snippet(p, term) {
    var at = p.text.indexOf(term);
    var text = p.e.text;
    if (at < 0) return { before: text.slice(0, 140), hit: "", after: "" };
    var start = Math.max(0, at - 60);
    return {
      before: (start > 0 ? "…" : "") + text.slice(start, at),
      hit: text.slice(at, at + term.length),
      after: text.slice(at + term.length, at + term.length + 80) + (at + term.length + 80 < text.length ? "…" : "")
    };
  }

  function render(query) {
    list.textContent = "";
    if (!query.trim()) { panel.hidden = true; return; }
    if (!prepared) {
      load(function () { if (input.value.trim()) render(input.value); });
      if (!prepared) return;
    }
    var results = search(query);
    panel.hidden = false;
    status.textContent = results.length ? "" : ui.noResults;
    results.forEach(function (r) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      a.href = ui.root + r.p.e.url;
      var title = document.createElement("span");
      title.className = "result-title";
      title.textContent = r.p.e.heading ? r.p.e.page + " › " + r.p.e.heading : r.p.e.page;
      a.appendChild(title);
      var s = snippet(r.p, r.term);
      var excerpt = document.createElement("span");
      excerpt.className = "result-text";
      excerpt.appendChild(document.createTextNode(s.before));
      if (s.hit) {
        var mark = document.createElement("mark");
        mark.textContent = s.hit;
        excerpt.appendChild(mark);
      }
      excerpt.appendChild(document.createTextNode(s.after));
      a.appendChild(excerpt);
      li.appendChild(a);
      list.appendChild(li);
    });
  }

  if (input && list && panel) {
    input.addEventListener("input", function () { render(input.value); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { input.value = ""; render(""); }
      if (event.key === "ArrowDown") {
        var first = list.querySelector("a");
        if (first) { first.focus(); event.preventDefault(); }
      }
      if (event.key === "Enter") {
        var top = list.querySelector("a");
        if (top) { top.click(); }
      }
    });
    list.addEventListener("keydown", function (event) {
      var links = Array.prototype.slice.call(list.querySelectorAll("a"));
      var i = links.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && i + 1 < links.length) { links[i + 1].focus(); event.preventDefault(); }
      if (event.key === "ArrowUp") { (i > 0 ? links[i - 1] : input).focus(); event.preventDefault(); }
      if (event.key === "Escape") { input.focus(); input.value = ""; render(""); }
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest || !event.target.closest(".search")) panel.hidden = true;
    });
    input.addEventListener("focus", function () {
      load(function () { if (input.value.trim()) render(input.value); });
      if (input.value.trim()) render(input.value);
    });
  }
})();
