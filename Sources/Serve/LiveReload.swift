import Foundation

/// The page side of `labgen serve`: a script added to every HTML page the server sends (the
/// built files are left untouched) that listens to `/__labgen/events` (Server-Sent Events:
/// the server pushes each new build status, nothing polls), swaps the new build of the page
/// in after a successful rebuild (see `script`) and shows a failed build's diagnostics over
/// the page. Without EventSource it falls back to asking `/__labgen/version` every 500 ms.
public enum LiveReload {
    public static let versionPath = "/__labgen/version"
    public static let eventsPath = "/__labgen/events"
    public static let scriptPath = "/__labgen/live.js"

    /// `html` with the live script before its last `</body>` (or at its end).
    public static func inject(into html: Data, version: Int) -> Data {
        let tag = Data("<script src=\"\(scriptPath)\" data-version=\"\(version)\"></script>\n".utf8)
        guard let range = html.range(of: Data("</body>".utf8), options: .backwards) else { return html + tag }
        var out = html
        out.replaceSubrange(range.lowerBound..<range.lowerBound, with: tag)
        return out
    }

    /// `{"error":…,"version":N}`: the error is the diagnostics text of the last build, or null.
    public static func versionJSON(version: Int, error: String?) -> Data {
        let object: [String: Any] = ["version": version, "error": error as Any? ?? NSNull()]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    /// Shown when there is no site to serve yet (the first build failed): the overlay
    /// explains why, and the page reloads once a build succeeds.
    public static func placeholderPage(title: String) -> Data {
        Data("""
        <!DOCTYPE html>
        <html lang="fr"><head><meta charset="utf-8"><title>\(title)</title></head>
        <body><main><h1>\(title)</h1></main></body></html>
        """.utf8)
    }

    /// The live script. On a new build it fetches the open page again and updates it in
    /// place — the title, the sidebar and, in `<main>`, only the blocks that changed —
    /// keeping the scroll position and the page's state (search box, theme, anything a
    /// script set); scripts of the new content run, and `labgen:content` is dispatched on
    /// the document for the theme's script to set the new content up (copy buttons, task
    /// lists). The page reloads fully when
    /// anything else differs (the stylesheet or script names, which carry their digests;
    /// the header; the language) or the fetch fails. Builds finishing while a swap is on
    /// their way are followed by one more fetch, so the page ends on the last build.
    public static let script = """
    (function () {
      "use strict";
      var me = document.currentScript;
      var version = me ? Number(me.getAttribute("data-version")) : -1;
      var overlay = null;
      function show(error) {
        if (!overlay) {
          overlay = document.createElement("div");
          overlay.id = "labgen-error-overlay";
          overlay.setAttribute("role", "alertdialog");
          overlay.setAttribute("aria-label", "labgen build error");
          overlay.style.cssText = "position:fixed;inset:0;z-index:2147483647;background:rgba(20,10,10,.92);color:#fff;" +
            "font:14px/1.5 ui-monospace,'DejaVu Sans Mono',monospace;padding:2rem;overflow:auto";
          var title = document.createElement("h2");
          title.textContent = "labgen build failed \\u2014 the page shows the last good build";
          title.style.cssText = "color:#ff8a80;font:600 18px system-ui,sans-serif;margin:0 0 1rem";
          var pre = document.createElement("pre");
          pre.style.cssText = "white-space:pre-wrap;margin:0";
          var close = document.createElement("button");
          close.type = "button";
          close.textContent = "\\u00d7";
          close.setAttribute("aria-label", "Close");
          close.style.cssText = "position:absolute;top:1rem;right:1rem;font-size:20px;background:none;color:#fff;border:1px solid #fff;border-radius:4px;cursor:pointer";
          close.onclick = function () { overlay.style.display = "none"; };
          overlay.appendChild(close);
          overlay.appendChild(title);
          overlay.appendChild(pre);
          document.body.appendChild(overlay);
        }
        overlay.style.display = "block";
        overlay.querySelector("pre").textContent = error;
      }
      function hide() { if (overlay) { overlay.remove(); overlay = null; } }

      /* The parts swapped in place; everything else of a page is its shell. */
      var REGIONS = ["main", "nav.sidebar"];
      /* The shell of a page as text: the language, <head> but its title, `body` (a copy of
         <body> whose regions are empty, changed here) without this script (its version
         changes with every build) and what the parser adds after it. This page's is taken
         as this script runs, before the theme's script changes the header (and <html>'s
         data-theme, left out). */
      function shell(doc, body) {
        var head = doc.head.cloneNode(true);
        var title = head.querySelector("title");
        if (title) title.remove();
        body.querySelectorAll('script[src="\(scriptPath)"], #labgen-error-overlay').forEach(function (e) { e.remove(); });
        while (body.lastChild && body.lastChild.nodeType === 3 && !body.lastChild.data.trim()) body.lastChild.remove();
        var root = doc.documentElement;
        return [root.getAttribute("lang"), root.getAttribute("dir"), head.outerHTML, body.outerHTML].join("\\n");
      }
      var current = (function () {
        var body = document.body.cloneNode(true);
        REGIONS.forEach(function (selector) {
          var region = body.querySelector(selector);
          if (region) region.replaceChildren();
        });
        return shell(document, body);
      })();
      var last = null;
      /* Each region as last built (before any script changed it): the next build is
         compared with it, so that only what changed is touched in the page. */
      var built = REGIONS.map(function (s) { var r = document.querySelector(s); return r ? r.cloneNode(true) : null; });

      /* The regions of a fetched page, taken out of it with an empty copy left in each
         one's place (what remains is its shell). */
      function take(doc) {
        return REGIONS.map(function (selector) {
          var region = doc.querySelector(selector);
          if (region) region.replaceWith(region.cloneNode(false));
          return region;
        });
      }

      /* A script put in by `innerHTML` or taken from another document does not run: a fresh
         element with the same attributes and text does, in document order. */
      function runScripts(root) {
        var scripts = root.nodeName === "SCRIPT" ? [root] : Array.prototype.slice.call(root.querySelectorAll ? root.querySelectorAll("script") : []);
        scripts.forEach(function (old) {
          var fresh = document.createElement("script");
          for (var i = 0; i < old.attributes.length; i++) fresh.setAttribute(old.attributes[i].name, old.attributes[i].value);
          fresh.async = false;
          fresh.text = old.text;
          old.replaceWith(fresh);
        });
      }

      /* Makes `live` (in the page) show `next` (fetched), `was` being what `live` was built
         as. The children equal in `was` and `next` at the start and at the end stay as they
         are, with what scripts did to them (copy buttons, a set-up trace figure); those in
         between are replaced — or, when it is one element of the same kind on all three
         sides, patched the same way. Only new nodes are styled and laid out again. */
      function patch(live, was, next, inserted) {
        var L = live.childNodes, W = was.childNodes, N = next.childNodes;
        var start = 0, end = 0;
        if (L.length === W.length) {
          while (start < W.length && start < N.length && W[start].isEqualNode(N[start])) start++;
          while (end < W.length - start && end < N.length - start && W[W.length - 1 - end].isEqualNode(N[N.length - 1 - end])) end++;
        }
        var w = L.length - start - end, n = N.length - start - end;
        if (L.length === W.length && w === 1 && n === 1 && W[start].nodeType === 1 && L[start].nodeName === W[start].nodeName &&
            W[start].cloneNode(false).isEqualNode(N[start].cloneNode(false))) {
          patch(L[start], W[start], N[start], inserted);
          return;
        }
        var anchor = L[start + w] || null;
        for (var i = 0; i < w; i++) live.removeChild(L[start]);
        for (var j = 0; j < n; j++) {
          var node = document.importNode(N[start + j], true);
          live.insertBefore(node, anchor);
          inserted.push(node);
        }
      }

      function swap(title, regions) {
        var x = window.scrollX, y = window.scrollY;
        document.title = title;
        REGIONS.forEach(function (selector, i) {
          var now = document.querySelector(selector), next = regions[i];
          if (!now || !next) return;
          if (selector === "main" && built[i]) {
            var inserted = [];
            patch(now, built[i], next, inserted);
            inserted.forEach(runScripts);
          } else if (built[i] && built[i].isEqualNode(next)) {
            runScripts(now);  /* the same sidebar: its lab list (a script) may have changed */
          } else {
            var fresh = document.importNode(next, true);
            /* The lab list is filled by a script: the old entries stay until it runs again. */
            var list = fresh.querySelector("#sidebar-labs"), shown = now.querySelector("#sidebar-labs");
            if (list && shown && !list.children.length) list.innerHTML = shown.innerHTML;
            now.replaceWith(fresh);
            runScripts(fresh);
          }
          built[i] = next;
        });
        window.scrollTo({ left: x, top: y, behavior: "instant" });
        document.dispatchEvent(new CustomEvent("labgen:content", { detail: { root: document.querySelector("main") } }));
      }

      var busy = false, again = false;
      function update() {
        if (busy) { again = true; return; }
        busy = true;
        fetch(location.pathname + location.search, { cache: "no-store" }).then(function (r) {
          if (!r.ok) throw new Error(String(r.status));
          return r.text();
        }).then(function (text) {
          if (text === last) return;
          var doc = new DOMParser().parseFromString(text, "text/html");
          var regions = take(doc);
          var fits = REGIONS.every(function (s, i) { return !!document.querySelector(s) === !!regions[i]; });
          if (!fits || !regions[0] || shell(doc, doc.body) !== current) { location.reload(); again = false; return; }
          last = text;
          swap(doc.title, regions);
        }).catch(function () { location.reload(); again = false; }).then(function () {
          busy = false;
          if (again) { again = false; update(); }
        });
      }

      var shown = null;
      function handle(s) {
        if (s.error) { if (s.error !== shown) { shown = s.error; show(s.error); } return; }
        shown = null;
        hide();
        if (s.version !== version) { version = s.version; update(); }
      }
      function poll() {
        fetch("\(versionPath)", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
          handle(s);
          setTimeout(poll, 500);
        }, function () { setTimeout(poll, 1000); });
      }
      if (window.EventSource) {
        var events = new EventSource("\(eventsPath)");
        events.onmessage = function (e) { handle(JSON.parse(e.data)); };
      } else {
        poll();
      }
    })();
    """
}
