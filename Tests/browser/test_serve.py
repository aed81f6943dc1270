"""`labgen serve` in headless Chromium: pages come over HTTP from labgen's own server on
127.0.0.1, the live script listens to its event stream (Server-Sent Events), a saved edit reloads the open page, and a broken build
shows its diagnostics over the page until the fix."""
import os
import queue
import re
import shutil
import subprocess
import threading

from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from conftest import LABGEN, REPO


def start_serve(content, out):
    """Starts `labgen serve --port 0`; returns the process, its base URL and its stderr lines."""
    proc = subprocess.Popen([LABGEN, "serve", "--port", "0", "--content", content, "--out", out,
                             "--templates", os.path.join(REPO, "templates")],
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
        # (The course has no favicon: the browser's own request for one is a 404.)
        assert [e for e in driver.get_log("browser")
                if e["level"] == "SEVERE" and "/favicon.ico" not in e["message"]] == []
        assert "Étape navigateur" not in driver.page_source

        # A saved edit: the open page reloads by itself with the new text.
        page = os.path.join(content, "labs", "02-deploiement.md")
        original = open(page, encoding="utf-8").read()
        driver.execute_script("window.__notReloaded = true")
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + "\nÉtape navigateur : `kubectl get pods`.\n")
        WebDriverWait(driver, 30).until(lambda d: "Étape navigateur" in d.page_source)
        assert driver.execute_script("return window.__notReloaded === undefined")

        # A broken build: its error over the page, which keeps the last good build.
        with open(page, "w", encoding="utf-8") as f:
            f.write(original + "\n[cassé](absent.md)\n")
        WebDriverWait(driver, 30).until(lambda d: "absent.md" in (overlay_text(d) or ""))
        assert "content" in overlay_text(driver) and "02-deploiement.md:" in overlay_text(driver)
        assert "Étape navigateur" in driver.page_source

        # Fixed: the overlay goes, the page reloads without the edit.
        with open(page, "w", encoding="utf-8") as f:
            f.write(original)
        WebDriverWait(driver, 30).until(lambda d: "Étape navigateur" not in d.page_source)
        assert overlay_text(driver) is None

        # A folder asked for without its slash is redirected; an absent page is the 404 page.
        driver.get(base + "labs")
        assert driver.current_url == base + "labs/"
        driver.get(base + "absent.html")
        assert "404" in driver.title
    finally:
        proc.terminate()
        assert proc.wait(timeout=10) is not None
