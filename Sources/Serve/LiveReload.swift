import Foundation

/// The page side of `labgen serve`: a script added to every HTML page the server sends (the
/// built files are left untouched) that listens to `/__labgen/events` (Server-Sent Events:
/// the server pushes each new build status, nothing polls), reloads the page after a
/// successful rebuild and shows a failed build's diagnostics over the page. Without
/// EventSource it falls back to asking `/__labgen/version` every 500 ms.
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
      var shown = null;
      function handle(s) {
        if (s.version !== version && !s.error) { location.reload(); return true; }
        if (s.error) { if (s.error !== shown) { shown = s.error; show(s.error); } }
        else { shown = null; hide(); }
        return false;
      }
      function poll() {
        fetch("\(versionPath)", { cache: "no-store" }).then(function (r) { return r.json(); }).then(function (s) {
          if (!handle(s)) setTimeout(poll, 500);
        }, function () { setTimeout(poll, 1000); });
      }
      if (window.EventSource) {
        var events = new EventSource("\(eventsPath)");
        events.onmessage = function (e) { if (handle(JSON.parse(e.data))) events.close(); };
      } else {
        poll();
      }
    })();
    """
}
