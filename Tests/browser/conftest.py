"""Browser tests: the built course in a real headless Chromium (Debian's chromium and
chromium-driver, driven by Selenium). Everything is loaded from file:// or 127.0.0.1;
name resolution is disabled in the browser so nothing can reach the network."""
import os
import shutil
import subprocess
import tempfile

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
LABGEN = os.path.join(REPO, ".build", "debug", "labgen")
SCREENSHOTS = "/tmp/labgen-browser"


def build(content, out):
    if not os.path.exists(LABGEN):
        pytest.fail(f"{LABGEN} not found: run `swift build` first (scripts/test does)")
    result = subprocess.run([LABGEN, "build", "--content", content, "--out", out,
                             "--templates", os.path.join(REPO, "templates")],
                            cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def workdir():
    path = tempfile.mkdtemp(prefix="labgen-browser-")
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def seed_site(workdir):
    """The real course (content/) built by the debug labgen."""
    return build(os.path.join(REPO, "content"), os.path.join(workdir, "seed-site"))


@pytest.fixture(scope="session")
def fixture_site(workdir):
    """The small test course (has task lists)."""
    return build(os.path.join(REPO, "Tests", "SiteTests", "Fixtures", "course"), os.path.join(workdir, "fixture-site"))


TREE_FILES = {
    "labs/03-reseau/index.md": "---\ntitle: Le réseau\n---\n# Le réseau\n\nCette partie explore le réseau du cluster.\n",
    "labs/03-reseau/01-pods.md": "# Les pods\n\nVoir [la découverte](../01-decouverte.md) et "
                                 "[l'aide-mémoire](../../pages/aide-memoire.md#commandes).\n\n## Adresses\n\nLe mot ornithorynque.\n",
    "labs/03-reseau/02-services.md": "# Les services\n\nSuite des [pods](01-pods.md#adresses).\n",
    "labs/04-fin.md": "# Fin\n\nTerminé.\n",
    "pages/aide-memoire.md": "# Aide-mémoire\n\n## Commandes\n\nLe mot tapir. Retour aux [pods](../labs/03-reseau/01-pods.md#adresses).\n",
    "pages/solutions.md": "---\ntitle: Solutions\nhandout: false\n---\n# Les solutions\n\nLe mot okapi.\n",
}


@pytest.fixture(scope="session")
def tree_site(workdir):
    """The small test course with a part (its page and two labs) between its labs and two
    extra pages (content/pages/)."""
    content = os.path.join(workdir, "tree-content")
    shutil.copytree(os.path.join(REPO, "Tests", "SiteTests", "Fixtures", "course"), content)
    for path, text in TREE_FILES.items():
        os.makedirs(os.path.dirname(os.path.join(content, path)), exist_ok=True)
        with open(os.path.join(content, path), "w", encoding="utf-8") as f:
            f.write(text)
    return build(content, os.path.join(workdir, "tree-site"))


@pytest.fixture
def driver():
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1200,1600", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                "--no-first-run", "--disable-background-networking", "--disable-sync",
                "--disable-component-update", "--allow-file-access-from-files"]:
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(shutil.which("chromedriver") or "/usr/bin/chromedriver")
    d = webdriver.Chrome(service=service, options=options)
    d.set_page_load_timeout(30)
    yield d
    d.quit()


SECRET = "browser-tests-secret-0123456789abcdef"


def build_roster(out, pdf=False):
    """The seed course for two attendees (the default facts and a three-node cluster), with
    their handouts and the instructor index."""
    roster_dir = out + "-roster"
    os.makedirs(os.path.join(roster_dir, "facts"), exist_ok=True)
    with open(os.path.join(roster_dir, "roster.secret"), "w", encoding="utf-8") as f:
        f.write(SECRET + "\n")
    shutil.copy(os.path.join(REPO, "content", "facts", "default.json"), os.path.join(roster_dir, "facts", "alice.json"))
    shutil.copy(os.path.join(REPO, "Tests", "SiteTests", "Fixtures", "facts-three-nodes.json"),
                os.path.join(roster_dir, "facts", "bob.json"))
    with open(os.path.join(roster_dir, "roster.yaml"), "w", encoding="utf-8") as f:
        f.write("secret: roster.secret\nattendees:\n"
                "  - id: alice\n    name: Alice Martin\n    facts: facts/alice.json\n"
                "  - id: bob\n    name: Bob Durand\n    facts: facts/bob.json\n")
    args = [LABGEN, "build", "--content", os.path.join(REPO, "content"), "--out", out,
            "--templates", os.path.join(REPO, "templates"), "--roster", os.path.join(roster_dir, "roster.yaml")]
    if pdf:
        args.append("--pdf")
    result = subprocess.run(args, cwd=REPO, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return out


@pytest.fixture(scope="session")
def roster_site(workdir):
    """The seed course built for two attendees, with PDF handouts."""
    if not os.path.exists(LABGEN):
        pytest.fail(f"{LABGEN} not found: run `swift build` first (scripts/test does)")
    return build_roster(os.path.join(workdir, "roster-site"), pdf=True)
