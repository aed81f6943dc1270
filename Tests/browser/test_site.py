"""The course as attendees use it, in headless Chromium (see conftest.py)."""
import json
import os
import re
import shutil
import time

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.support.ui import WebDriverWait

from conftest import REPO, SCREENSHOTS

LAB = "labs/01-ebpf-dsr.html"


def url(site, page):
    return "file://" + os.path.join(site, page)


def severe(driver):
    return [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]


def first_shell_block(markdown_path):
    """The first ```shell block of the lab as written: what the first copy button must copy."""
    text = open(markdown_path, encoding="utf-8").read()
    match = re.search(r"```(?:shell|bash|sh)\n(.*?)```", text, re.S)
    return match.group(1).rstrip("\n")


def test_lab_loads_without_console_error(driver, seed_site):
    driver.get(url(seed_site, LAB))
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "button.copy"))
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "fr"
    assert severe(driver) == []
    # Highlighting happened at build time.
    assert driver.find_elements(By.CSS_SELECTOR, "pre code .tok-command")
    # Every image has a text alternative.
    for img in driver.find_elements(By.TAG_NAME, "img"):
        assert (img.get_attribute("alt") or "").strip(), img.get_attribute("src")
    os.makedirs(SCREENSHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SCREENSHOTS, "lab.png"))
    assert os.path.getsize(os.path.join(SCREENSHOTS, "lab.png")) > 10000


def read_clipboard(driver):
    try:
        driver.execute_cdp_cmd("Browser.grantPermissions", {
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    except Exception:
        pass
    return driver.execute_async_script("""
        var done = arguments[arguments.length - 1];
        if (!navigator.clipboard || !navigator.clipboard.readText) { done(null); return; }
        navigator.clipboard.readText().then(done, function () { done(null); });
    """)


def test_copy_button_copies_the_commands(driver, seed_site):
    driver.get(url(seed_site, LAB))
    try:
        driver.execute_cdp_cmd("Browser.grantPermissions", {
            "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
    except Exception as error:
        print(f"clipboard permission not granted ({error}); the fallback copy path is used")
    # The lab's first command block names the lab directory as a parameter: the copied text
    # must carry the value from the default facts, never the placeholder.
    source = first_shell_block(os.path.join(REPO, "content", LAB.replace(".html", ".md")))
    with open(os.path.join(REPO, "content", "facts", "default.json"), encoding="utf-8") as f:
        lab_directory = json.load(f)["lab"]["directory"]
    expected = source.replace("${{ lab.directory }}", lab_directory)
    assert "${{" not in expected, f"unexpected parameter in the first command block: {source!r}"
    button = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.CSS_SELECTOR, "button.copy"))
    assert button.tag_name == "button"
    # Keyboard: focus it and press Enter.
    driver.execute_script("arguments[0].focus()", button)
    assert driver.switch_to.active_element == button
    button.send_keys(Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: button.text != "Copier")
    assert button.text == "Copié\u202f!"
    handed = driver.execute_script("return window.labgenLastCopy")
    assert handed == expected
    clipboard = read_clipboard(driver)
    if clipboard is None:
        print("clipboard not readable in this Chromium; checked what the copy handler wrote instead")
    else:
        assert clipboard == expected
    # No prompt or output line in any copy text; console output blocks have no button.
    for pre in driver.find_elements(By.CSS_SELECTOR, "pre[data-copy]"):
        text = pre.get_attribute("data-copy")
        assert not text.startswith("$ ")
    for code in driver.find_elements(By.CSS_SELECTOR, "code.language-console"):
        assert code.find_element(By.XPATH, "..").get_attribute("data-copy") is None
    assert severe(driver) == []


def test_transcript_copy_drops_prompts_and_output(driver, workdir):
    from conftest import build
    content = os.path.join(workdir, "transcript-content")
    shutil.copytree(os.path.join(REPO, "Tests", "SiteTests", "Fixtures", "course"), content)
    with open(os.path.join(content, "labs", "02-deploiement.md"), "a", encoding="utf-8") as f:
        f.write("\n```console\n$ kubectl get nodes \\\n    -o wide\nNAME STATUS\n# ip -br link\nlo UNKNOWN\n```\n")
    site = build(content, os.path.join(workdir, "transcript-site"))
    driver.get(url(site, "labs/02-deploiement.html"))
    buttons = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "button.copy"))
    buttons[-1].click()
    WebDriverWait(driver, 5).until(lambda d: d.execute_script("return window.labgenLastCopy"))
    assert driver.execute_script("return window.labgenLastCopy") == "kubectl get nodes \\\n    -o wide\nip -br link"


def test_search_finds_accented_word_typed_without_accent(driver, seed_site):
    driver.get(url(seed_site, "index.html"))
    box = WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "search-input"))
    box.send_keys("reseau")
    results = WebDriverWait(driver, 5).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results a"))
    hits = [r for r in results if "réseau" in r.text]
    assert hits, [r.text for r in results]
    marks = driver.find_elements(By.CSS_SELECTOR, "#search-results mark")
    assert any(m.text.lower() == "réseau" for m in marks)
    target = next(r for r in results if "#analyse-de-la-config-reseau" in r.get_attribute("href"))
    assert target.get_attribute("href").startswith("file://" + seed_site + "/" + LAB + "#")
    os.makedirs(SCREENSHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SCREENSHOTS, "search.png"))
    # Keyboard: arrow into the results, Enter follows the link to the heading.
    box.send_keys(Keys.ARROW_DOWN)
    assert driver.switch_to.active_element.tag_name == "a"
    target.click()
    WebDriverWait(driver, 5).until(lambda d: d.current_url.endswith("#analyse-de-la-config-reseau-determination-de-la-veth-a-sniffer"))
    assert driver.find_element(By.ID, "analyse-de-la-config-reseau-determination-de-la-veth-a-sniffer")
    # Nothing found: said so.
    box = driver.find_element(By.ID, "search-input")
    box.send_keys("zzzqqq")
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "search-status").text == "Aucun résultat")
    assert severe(driver) == []


def background(driver):
    return driver.execute_script("return getComputedStyle(document.body).backgroundColor")


def test_dark_mode_follows_the_system_and_the_toggle(driver, seed_site):
    driver.get(url(seed_site, LAB))
    assert background(driver) == "rgb(255, 255, 255)"
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {
        "features": [{"name": "prefers-color-scheme", "value": "dark"}]})
    driver.get(url(seed_site, LAB))
    assert background(driver) == "rgb(20, 23, 29)"
    os.makedirs(SCREENSHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SCREENSHOTS, "lab-dark.png"))
    # The toggle overrides the system, and is remembered.
    trace = "var t = document.querySelector('.trace-summary'); return t && getComputedStyle(t).backgroundColor"
    dark_trace = driver.execute_script(trace)
    toggle = driver.find_element(By.ID, "theme-toggle")
    assert toggle.get_attribute("aria-pressed") == "true"
    toggle.click()
    assert background(driver) == "rgb(255, 255, 255)"
    assert toggle.get_attribute("aria-pressed") == "false"
    if dark_trace:  # the packet trace follows the reader's choice too
        assert driver.execute_script(trace) != dark_trace
    driver.get(url(seed_site, "index.html"))
    assert background(driver) == "rgb(255, 255, 255)"
    driver.find_element(By.ID, "theme-toggle").click()
    assert background(driver) == "rgb(20, 23, 29)"
    driver.execute_script("localStorage.removeItem('labgen-theme')")
    assert severe(driver) == []


def test_task_lists_are_remembered_per_page_path(driver, fixture_site, workdir):
    page = "labs/01-decouverte.html"
    driver.get(url(fixture_site, page))
    boxes = driver.find_elements(By.CSS_SELECTOR, "main li input[type=checkbox]")
    assert len(boxes) == 2
    assert all(b.is_enabled() for b in boxes)
    assert [b.is_selected() for b in boxes] == [False, True]
    boxes[0].click()
    driver.refresh()
    boxes = driver.find_elements(By.CSS_SELECTOR, "main li input[type=checkbox]")
    assert [b.is_selected() for b in boxes] == [True, True]
    # Another attendee's copy (another path) starts from the page's own state.
    other = os.path.join(workdir, "other-attendee")
    shutil.copytree(fixture_site, other, dirs_exist_ok=True)
    driver.get(url(other, page))
    boxes = driver.find_elements(By.CSS_SELECTOR, "main li input[type=checkbox]")
    assert [b.is_selected() for b in boxes] == [False, True]
    assert severe(driver) == []


def test_phone_layout_has_no_horizontal_scroll(driver, seed_site):
    driver.set_window_size(390, 844)
    driver.get(url(seed_site, LAB))
    width = driver.execute_script("return document.documentElement.scrollWidth")
    viewport = driver.execute_script("return window.innerWidth")
    assert width <= viewport, f"page is {width}px wide in a {viewport}px viewport"
    os.makedirs(SCREENSHOTS, exist_ok=True)
    driver.save_screenshot(os.path.join(SCREENSHOTS, "lab-phone.png"))


def test_skip_link_is_first_in_focus_order(driver, seed_site):
    driver.get(url(seed_site, LAB))
    driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
    active = driver.switch_to.active_element
    assert active.get_attribute("class") == "skip"
    assert active.get_attribute("href").endswith("#contenu")


def test_hovering_a_packet_field_highlights_its_bytes(driver, seed_site):
    driver.get(url(seed_site, LAB))
    fields = driver.find_elements(By.CSS_SELECTOR, ".trace-field[data-offset][data-length]")
    if not fields:
        pytest.skip("the lab page has no rendered packet trace (.trace-field) yet: the trace block handler is not in this build")
    field = next(f for f in fields if int(f.get_attribute("data-length")) > 0 and f.is_displayed())
    offset, length = int(field.get_attribute("data-offset")), int(field.get_attribute("data-length"))
    ActionChains(driver).move_to_element(field).perform()
    section = field.find_element(By.XPATH, "ancestor::*[contains(@class,'trace-packet')][1]")
    lit = section.find_elements(By.CSS_SELECTOR, ".trace-hex .trace-on[data-i]")
    indices = sorted({int(b.get_attribute("data-i")) for b in lit})
    assert indices == list(range(offset, offset + length))
    assert severe(driver) == []


def test_sidebar_lists_every_lab_from_the_lab_script(driver, fixture_site):
    """Lab pages carry no lab list: assets/labs.js fills it, links relative to the page,
    the page's own entry marked; without scripts a link points to the sommaire."""
    page = os.path.join(fixture_site, "labs", "02-deploiement.html")
    html = open(page, encoding="utf-8").read()
    listed = html.split('<ol id="sidebar-labs"')[1].split("</ol>")[0]
    assert "<li>" not in listed, "the list is not in the page's HTML"
    driver.get(url(fixture_site, "labs/02-deploiement.html"))
    nav = driver.find_element(By.CSS_SELECTOR, "nav.sidebar")
    links = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#sidebar-labs a"))
    assert [a.get_attribute("href").rsplit("/", 2)[-2:] for a in links] == [
        ["labs", "01-decouverte.html"], ["labs", "02-deploiement.html"]]
    current = nav.find_elements(By.CSS_SELECTOR, "#sidebar-labs a[aria-current=page]")
    assert len(current) == 1 and current[0].get_attribute("href").endswith("labs/02-deploiement.html")
    links[0].click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("labs/01-decouverte.html"))
    assert severe(driver) == []
    noscript = driver.find_element(By.CSS_SELECTOR, "nav.sidebar noscript").get_attribute("textContent")
    assert 'href="../index.html"' in noscript


def test_parts_and_extra_pages_in_the_sidebar_and_pager(driver, tree_site):
    """A part's lab: the lab script fills the part as a group of its labs (numbered 3.1,
    3.2 by the stylesheet) and the extra pages' list, links relative to the page two folders down;
    the breadcrumb leads to the part, the pager walks across the part's edge."""
    driver.get(url(tree_site, "labs/03-reseau/01-pods.html"))
    links = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#sidebar-labs a"))
    assert [a.get_attribute("href").split("/tree-site/")[1] for a in links] == [
        "labs/01-decouverte.html", "labs/02-deploiement.html", "labs/03-reseau/index.html",
        "labs/03-reseau/01-pods.html", "labs/03-reseau/02-services.html", "labs/04-fin.html"]
    nested = driver.find_elements(By.CSS_SELECTOR, "#sidebar-labs li.sidebar-part ol a")
    assert [a.text for a in nested] == ["Les pods", "Les services"]
    marker = driver.execute_script(
        "return getComputedStyle(document.querySelector('#sidebar-labs li.sidebar-part ol li'), '::marker').content")
    # Chromium reports the declared counters() (the marker's text is not readable from
    # scripts): the part's labs get the nested numbering, the other entries the list's own.
    assert marker.startswith("counters(list-item")
    assert driver.execute_script(
        "return getComputedStyle(document.querySelector('#sidebar-labs > li'), '::marker').content") == "normal"
    current = driver.find_elements(By.CSS_SELECTOR, "nav.sidebar a[aria-current=page]")
    assert len(current) == 1 and current[0].get_attribute("href").endswith("labs/03-reseau/01-pods.html")
    extra = driver.find_elements(By.CSS_SELECTOR, "#sidebar-pages a")
    assert [a.text for a in extra] == ["Aide-mémoire", "Solutions"]
    assert driver.find_element(By.CSS_SELECTOR, "nav.breadcrumb").text.replace("\n", " ").split() == ["Sommaire", "Le", "réseau"]
    assert driver.find_element(By.CSS_SELECTOR, "a[rel=prev]").get_attribute("href").endswith("labs/03-reseau/index.html")
    extra[0].click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("pages/aide-memoire.html"))
    assert driver.find_elements(By.CSS_SELECTOR, "a[rel=prev], a[rel=next]") == []
    current = WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#sidebar-pages a[aria-current=page]"))
    assert current[0].text == "Aide-mémoire"
    # Search from the extra page finds a part's lab, one folder over.
    box = driver.find_element(By.ID, "search-input")
    box.send_keys("ornithorynque")
    results = WebDriverWait(driver, 5).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results a"))
    results[0].click()
    WebDriverWait(driver, 10).until(lambda d: d.current_url.endswith("labs/03-reseau/01-pods.html#adresses"))
    assert severe(driver) == []
