"""Browser tests of the trace block's script (templates/assets/trace.js) on the built DSR lab:
a field lights its bytes, a byte lights its innermost field, and the hex dump works from the
keyboard. Needs the debug build (scripts/test builds first), chromium and chromedriver."""
import os
import pathlib
import shutil
import subprocess
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

ROOT = pathlib.Path(__file__).resolve().parents[2]
LABGEN = pathlib.Path(os.environ.get("LABGEN", ROOT / ".build" / "debug" / "labgen"))


@pytest.fixture(scope="module")
def site():
    if not LABGEN.exists():
        pytest.skip(f"no labgen binary at {LABGEN} (run swift build first)")
    out = pathlib.Path(tempfile.mkdtemp(prefix="labgen-trace-")) / "site"
    subprocess.run([str(LABGEN), "build", "--content", str(ROOT / "content"), "--out", str(out)],
                   cwd=ROOT, check=True, capture_output=True)
    yield out
    shutil.rmtree(out.parent, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(site):
    chromium = shutil.which("chromium")
    driver_path = shutil.which("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("chromium or chromedriver missing")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1400,2000"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.get((site / "labs" / "01-ebpf-dsr.html").as_uri())
    yield driver
    driver.quit()


def packet(browser, n):
    return browser.find_element(By.CSS_SELECTOR, f"section.trace-packet[data-packet='{n}']")


def lit_bytes(section):
    return sorted({int(e.get_attribute("data-i")) for e in section.find_elements(By.CSS_SELECTOR, ".trace-hex .trace-on[data-i]")})


def test_field_lights_its_bytes(browser):
    p1 = packet(browser, 1)
    row = p1.find_element(By.CSS_SELECTOR, ".trace-field[data-name='cilium.dsr.svc_port']")
    ActionChains(browser).move_to_element(row).perform()
    assert lit_bytes(p1) == [36, 37]
    # Both columns light up: the hex digits and the ASCII characters.
    assert len(p1.find_elements(By.CSS_SELECTOR, ".trace-hex .trace-on[data-i='36']")) == 2


def test_byte_lights_innermost_field(browser):
    p1 = packet(browser, 1)
    byte = p1.find_element(By.CSS_SELECTOR, ".trace-hex [data-i='39']:not(.trace-ascii *)")
    ActionChains(browser).move_to_element(byte).perform()
    lit = [e.get_attribute("data-name") for e in p1.find_elements(By.CSS_SELECTOR, ".trace-field.trace-on")]
    assert lit == ["cilium.dsr.svc_addr"]
    assert lit_bytes(p1) == [38, 39, 40, 41]


def test_keyboard_focus_moves_through_bytes_and_into_the_tree(browser):
    p1 = packet(browser, 1)
    first = p1.find_element(By.CSS_SELECTOR, ".trace-hex [data-i='0']:not(.trace-ascii *)")
    browser.execute_script("arguments[0].focus()", first)
    first.send_keys(Keys.ARROW_DOWN, Keys.ARROW_DOWN)  # byte 32
    first_active = browser.switch_to.active_element
    assert first_active.get_attribute("data-i") == "32"
    first_active.send_keys(Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT, Keys.ARROW_RIGHT)  # byte 36
    active = browser.switch_to.active_element
    assert active.get_attribute("data-i") == "36"
    assert lit_bytes(p1) == [36, 37]
    active.send_keys(Keys.ENTER)
    focused = browser.switch_to.active_element
    assert focused.get_attribute("data-name") == "cilium.dsr.svc_port"
    # Only one byte of the dump is in the tab order at a time.
    assert len(p1.find_elements(By.CSS_SELECTOR, ".trace-hex [tabindex='0']")) == 1


def test_focusing_a_field_from_the_keyboard_lights_its_bytes(browser):
    p2 = packet(browser, 2)
    row = p2.find_element(By.CSS_SELECTOR, ".trace-field[data-name='tcp.srcport']")
    browser.execute_script("arguments[0].focus()", row)
    assert lit_bytes(p2) == [34, 35]
