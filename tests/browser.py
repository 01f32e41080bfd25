"""Browser harness: Debian's Chromium driven by Playwright against the live test server,
with axe-core's accessibility check in one line: `check_accessibility(page)`."""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls of the test itself
# are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
AXE_OPTIONS = {
    "runOnly": {"type": "tag",
                "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]},
    "resultTypes": ["violations"],
}


@pytest.fixture(scope="session")
def browser():
    executable = shutil.which("chromium")
    if executable is None:
        if os.environ.get("BROWSER_TESTS") == "required":
            pytest.fail("Chromium is not installed (apt-get install chromium) and "
                        "BROWSER_TESTS=required.")
        pytest.skip("Chromium is not installed; install Debian's chromium to run browser tests")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable,
            args=["--no-sandbox", "--disable-background-networking",
                  "--disable-component-update", "--disable-gpu", "--no-first-run"],
        )
        yield browser
        browser.close()


def _new_page(browser, viewport):
    # Reduced motion: Bootstrap then opens menus without a transition to wait out.
    context = browser.new_context(viewport=viewport, locale="en-US", reduced_motion="reduce")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # A script error, a CSP violation or a missing asset fails the test. Pages answered with
    # an error status on purpose (404, 410) are documents and are left to the test.
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error"
            and not msg.text.startswith("Failed to load resource") else None)
    page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
            if response.status >= 400 and response.request.resource_type != "document"
            else None)
    page.javascript_errors = errors
    return context, page


@pytest.fixture(params=[DESKTOP, PHONE], ids=["desktop", "phone"])
def page(request, browser, live_server, transactional_db):
    """A fresh page, once at desktop width and once at phone width."""
    context, page = _new_page(browser, request.param)
    page.base_url = live_server.url
    page.is_phone = request.param is PHONE
    yield page
    context.close()
    assert page.javascript_errors == [], page.javascript_errors


@pytest.fixture
def phone_page(browser, live_server, transactional_db):
    context, page = _new_page(browser, PHONE)
    page.base_url = live_server.url
    page.is_phone = True
    yield page
    context.close()
    assert page.javascript_errors == [], page.javascript_errors


def follow(page, locator):
    """Click a link or submit button and wait until the page it leads to has loaded, so
    that what follows never looks at the page being left."""
    with page.expect_navigation():
        locator.click()


def open_menu(page):
    """On a phone the navigation is folded away: open it and wait until it is shown."""
    page.get_by_role("button", name="Show menu").click()
    page.locator("#main-nav.show").wait_for()


def check_accessibility(page):
    """Run axe-core on the page as it is now; fail listing every violation found."""
    from axe_playwright_python.sync_playwright import Axe

    page.wait_for_load_state()
    page.locator("main").wait_for(state="attached")
    results = Axe().run(page, options=AXE_OPTIONS)
    violations = results.response["violations"]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} -> "
        + "; ".join(node["target"][0] if isinstance(node["target"][0], str)
                    else str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )
    assert violations == [], f"axe found violations on {page.url}:\n{report}"
    # No horizontal scrolling on a phone: the layout fits the screen.
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    if overflow > 1:
        widest = page.evaluate("""() => [...document.querySelectorAll('body *')]
            .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
            .slice(-3).map(e => e.outerHTML.slice(0, 120))""")
        raise AssertionError(f"{page.url} scrolls sideways by {overflow}px: {widest}")


def sign_in(page, email, password, totp_secret=None, check=None):
    """Sign in through the real form, answering the two-factor step when there is one;
    `check(page)` runs on the two-factor page."""
    page.goto(f"{page.base_url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret:
        from tests.factories import totp_code

        page.locator("#id_code").wait_for()
        if check:
            check(page)
        page.locator("#id_code").fill(totp_code(totp_secret))
        page.get_by_role("button", name="Sign In").click()
