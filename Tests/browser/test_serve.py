"""`labgen serve` in headless Chromium: pages come over HTTP from labgen's own server on
127.0.0.1, the live script listens to its event stream (Server-Sent Events), a saved edit is
swapped into the open page in place (no reload, no polling) while a changed stylesheet reloads
it, and a broken build shows its diagnostics over the page until the fix."""
import os
import queue
import re
import shutil
import subprocess
import threading

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import LABGEN, REPO


def start_serve(content, out, templates=os.path.join(REPO, "templates")):
    """Starts `labgen serve --port 0`; returns the process, its base URL and its stderr lines."""
    proc = subprocess.Popen([LABGEN, "serve", "--port", "0", "--content", content, "--out", out,
                             "--templates", templates],
                            cwd=REPO, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    lines = queue.Queue()
    threading.Thread(target=lambda: [lines.put(l) for l in proc.stderr], daemon=True).start()
    seen = []
    while True:
        try:
            line = lines.get(timeout=60)
        except queue.Empty:
            proc.kill()
            raise AssertionError("labgen serve never announced its address: " + "".join(seen))
        seen.append(line)
        match = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if match:
            return proc, match.group(1), seen


def page_errors(driver):
    """The page's errors since the last call (the course has no favicon: the browser's own
    request for one is a 404, not an error of the page)."""
    return [e for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]]


def overlay_text(driver):
    found = driver.find_elements(By.ID, "labgen-error-overlay")
    return found[0].text if found and found[0].is_displayed() else None


def test_serve_reloads_on_edit_and_overlays_build_errors(driver, workdir):
    content = os.path.join(workdir, "serve-content")
    shutil.copytree(os.path.join(REPO, "Tests", "SiteTests", "Fixtures", "course"), content)
    proc, base, log = start_serve(content, os.path.join(workdir, "serve-site"))
    try:
        driver.get(base + "labs/02-deploiement.html")
        WebDriverWait(driver, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, 'script[src="/__labgen/live.js"]'))
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
        assert page_errors(driver) == []
        assert "Étape navigateur" not in driver.page_source

        # A saved edit: the open page shows it without reloading (the marker set before
        # survives), without polling, scrolled where it was, its new code block with a copy
        # button, the theme toggle and the search (which finds the new text) still working.
        page = os.path.join(content, "labs", "02-deploiement.md")
        original = open(page, encoding="utf-8").read()
        long_text = "".join(f"\nParagraphe de remplissage {i}.\n" for i in range(80))
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + long_text)
        WebDriverWait(driver, 30).until(lambda d: "Paragraphe de remplissage 79" in d.page_source)
        driver.execute_script("window.__notReloaded = true; window.scrollTo(0, 400)")
        WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.scrollY") == 400)
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + long_text + "\nÉtape navigateur : lancez\n\n```console\n$ kubectl get pods\n```\n")
        WebDriverWait(driver, 30).until(lambda d: "Étape navigateur" in d.page_source)
        assert driver.execute_script("return window.__notReloaded") is True
        assert driver.execute_script("return window.scrollY") == 400
        assert driver.execute_script(
            "return performance.getEntriesByType('resource').filter(function (e) {"
            " return e.name.indexOf('/__labgen/version') >= 0; }).length") == 0
        WebDriverWait(driver, 10).until(lambda d: d.execute_script(
            "return document.querySelectorAll('main pre[data-copy]').length > 0 && "
            "document.querySelectorAll('main pre[data-copy]').length === document.querySelectorAll('main .code-block > button.copy').length"))
        theme = driver.execute_script("return document.documentElement.getAttribute('data-theme')")
        driver.find_element(By.ID, "theme-toggle").click()
        assert driver.execute_script("return document.documentElement.getAttribute('data-theme')") not in (None, theme)
        driver.find_element(By.ID, "search-input").send_keys("navigateur")
        WebDriverWait(driver, 10).until(lambda d: any(
            "navigateur" in r.text.lower() for r in d.find_elements(By.CSS_SELECTOR, "#search-results li")))
        driver.find_element(By.ID, "search-input").clear()
        assert page_errors(driver) == []

        # Two saves in quick succession: the page ends on the second.
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + "\nPremière sauvegarde.\n")
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + "\nSeconde sauvegarde.\n")
        WebDriverWait(driver, 30).until(lambda d: "Seconde sauvegarde" in d.page_source)
        assert "Première sauvegarde" not in driver.page_source
        assert driver.execute_script("return window.__notReloaded") is True
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + "\nÉtape navigateur : `kubectl get pods`.\n")
        WebDriverWait(driver, 30).until(lambda d: "Seconde sauvegarde" not in d.page_source)

        # A broken build: its error over the page, which keeps the last good build.
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + "\n[cassé](absent.md)\n")
        WebDriverWait(driver, 30).until(lambda d: "absent.md" in (overlay_text(d) or ""))
        assert "content" in overlay_text(driver) and "02-deploiement.md:" in overlay_text(driver)
        assert "Étape navigateur" in driver.page_source

        # Fixed: the overlay goes, the page shows the fix, still without a reload.
        with open(page, "w", encoding="utf-8") as f:
            f.write(original)
        WebDriverWait(driver, 30).until(lambda d: "Étape navigateur" not in d.page_source)
        assert overlay_text(driver) is None
        assert driver.execute_script("return window.__notReloaded") is True

        # The live script is added as pages are sent: the built files never hold it.
        for folder, _, names in os.walk(os.path.join(workdir, "serve-site")):
            for name in names:
                with open(os.path.join(folder, name), "rb") as f:
                    assert b"__labgen" not in f.read(), os.path.join(folder, name)

        # A folder asked for without its slash is redirected; an absent page is the 404 page.
        driver.get(base + "labs")
        assert driver.current_url == base + "labs/"
        driver.get(base + "absent.html")
        assert "404" in driver.title
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) is not None


def test_serve_reloads_the_page_when_the_stylesheet_changes(driver, workdir):
    """A new stylesheet (a new fingerprinted name in the page's head) cannot be swapped in:
    the open page reloads whole and shows the new style."""
    content = os.path.join(workdir, "serve-css-content")
    templates = os.path.join(workdir, "serve-css-templates")
    shutil.copytree(os.path.join(REPO, "Tests", "SiteTests", "Fixtures", "course"), content)
    shutil.copytree(os.path.join(REPO, "templates"), templates)
    proc, base, log = start_serve(content, os.path.join(workdir, "serve-css-site"), templates)
    try:
        driver.get(base + "labs/02-deploiement.html")
        WebDriverWait(driver, 30).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, 'script[src="/__labgen/live.js"]'))
        driver.execute_script("window.__notReloaded = true")
        with open(os.path.join(templates, "assets", "style.css"), "a", encoding="utf-8") as f:
            f.write("\nmain h1 { letter-spacing: 7px; }\n")
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(
            "var h = document.querySelector('main h1'); return !!h && getComputedStyle(h).letterSpacing === '7px'"))
        assert driver.execute_script("return window.__notReloaded === undefined")
        assert page_errors(driver) == []
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) is not None


def test_serve_updates_only_what_changed_and_sets_up_new_packet_figures(driver, workdir):
    """The seed lab, open: a second trace block saved at its end appears set up (its packets
    interactive, as trace.js does on load) while the blocks before it stay the very same
    nodes (only what changed is replaced), without a reload."""
    content = os.path.join(workdir, "serve-trace-content")
    shutil.copytree(os.path.join(REPO, "content"), content)
    proc, base, log = start_serve(content, os.path.join(workdir, "serve-trace-site"))
    try:
        page = os.path.join(content, "labs", "01-ebpf-dsr.md")
        original = open(page, encoding="utf-8").read()
        block = re.search(r"```trace\n.*?\n```\n", original, re.S).group(0)
        driver.get(base + "labs/01-ebpf-dsr.html")
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(
            "return document.querySelectorAll('.trace-packet').length > 0 && "
            "document.querySelectorAll('.trace-packet:not([data-trace-ready])').length === 0"))
        before = driver.execute_script("return document.querySelectorAll('.trace-packet').length")
        driver.execute_script("window.__notReloaded = true;"
                              "document.querySelector('main h1').__kept = true;"
                              "document.querySelector('.trace-packet').__kept = true")
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + "\nUne seconde capture, en direct :\n\n" + block)
        WebDriverWait(driver, 30).until(lambda d: d.execute_script(
            "return document.querySelectorAll('.trace-packet').length") == 2 * before)
        assert driver.execute_script("return window.__notReloaded") is True
        assert driver.execute_script("return document.querySelector('main h1').__kept") is True
        assert driver.execute_script("return document.querySelector('.trace-packet').__kept") is True
        WebDriverWait(driver, 10).until(lambda d: d.execute_script(
            "return document.querySelectorAll('.trace-packet:not([data-trace-ready])').length") == 0)
        assert page_errors(driver) == []
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) is not None


def test_labgen_build_output_has_no_live_script(fixture_site):
    """Only serve adds the live script, as it sends a page: `labgen build` never writes it."""
    pages = 0
    for folder, _, names in os.walk(fixture_site):
        for name in names:
            with open(os.path.join(folder, name), "rb") as f:
                data = f.read()
            pages += name.endswith(".html")
            assert b"__labgen" not in data and b"live.js" not in data, os.path.join(folder, name)
    assert pages >= 3
