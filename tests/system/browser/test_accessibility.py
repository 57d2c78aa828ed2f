"""Every page of the site, public and signed in, checked by axe-core (accessibility.py).

On the demo Hanoi, a visitor (in Vietnamese and in English) and each demo login start from
the pages the menu offers and follow the site's own links, one page per URL pattern and
person (a product page stands for every product page): so a page added to the site is
checked as soon as anything links to it. At 1366 px, no item of each login's menu (the
to-do count and the bell included) is broken over two lines. Each page is also read for
dates written dd-mm-yyyy, which the site never writes (docs/architecture.md, "Numbers and
dates").

Files (PDF, CSV, XLSX, images) and the Django admin's own pages are not crawled; nor is
any link that would act (sign-out is a form, never a link). One browser context, one page.
"""

import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import Error as PlaywrightError

from tests.system.browser.accessibility import violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEMO_PASSWORD = "ocop-demo-2026"
# The demo's logins (scripts/print-logins.sh): every role the site has.
ROLES = [
    "admin",
    "vp.hanoi",
    "vp.donganh",
    "vp.trunguong",
    "thuky.donganh",
    "uv1.donganh",
    "uv1.hanoi",
    "thanhtra.hanoi",
    "sx.vannoi",
]
SKIPPED_PREFIXES = ("/admin/", "/static/", "/media/", "/en/admin/")
# Pages whose content depends on who looks (their work, their scope): checked for each
# login. Every other page (public pages, one's account, notifications' settings, help) is
# checked once, by the first person who reaches it.
PER_ROLE = {
    "evaluation:todo",
    "evaluation:dossiers",
    "evaluation:dossier",
    "evaluation:certificates",
    "notifications:list",
}
# Pages the crawl must reach, or it has lost its way (a renamed link, a broken menu).
MUST_REACH = {
    "catalogue:catalogue",
    "catalogue:product",
    "catalogue:sales_points",
    "evaluation:verify_form",
    "evaluation:verify",
    "evaluation:statistics",
    "evaluation:official_statistics",
    "evaluation:todo",
    "evaluation:dossiers",
    "evaluation:dossier",
    "evaluation:scorecard",
    "evaluation:card",
    "evaluation:result",
    "evaluation:council_standing",
    "evaluation:decide",
    "evaluation:decisions",
    "evaluation:decision",
    "evaluation:certificates",
    "evaluation:revoke",
    "evaluation:start",
    "evaluation:file",
    "evaluation:self",
    "imports:upload",
    "notifications:list",
    "accounts:account",
    "login",
}
FILE_SUFFIXES = (".pdf", ".csv", ".xlsx", ".svg", ".png", ".jpg", ".json", ".xml", ".txt")
DASHED_DATE = re.compile(r"\b\d{2}-\d{2}-\d{4}\b")
# The menu's items whose words are broken over more than one line (tops of their text
# lines more than 12 px apart: a badge beside the words sits a few px off, not a line).
BROKEN_MENU_ITEMS = """() => [
    ...document.querySelectorAll('.navbar-brand, #nav .nav-link, #nav .btn')]
  .filter(e => e.offsetParent !== null)
  .filter(e => {
    const range = document.createRange();
    range.selectNodeContents(e);
    const tops = [...range.getClientRects()].filter(r => r.width > 0)
      .map(r => r.top).sort((a, b) => a - b);
    return tops.some((top, i) => i > 0 && top - tops[i - 1] > 12);
  })
  .map(e => e.innerText.trim())"""
LINKS = """() => [...document.querySelectorAll('a[href]')]
  .filter(a => !a.hasAttribute('download'))
  .map(a => a.href)"""


@pytest.fixture
def demo(reference_data):
    call_command("load_demo", products=10, verbosity=0)
    call_command("load_evaluation_demo", verbosity=0)


def pattern_of(path):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def crawl(page, base, start, who, seen_patterns, problems):
    """Visit every page reachable from `start`, one per URL pattern; returns the patterns."""
    queue, reached = list(start), set()
    while queue:
        url = queue.pop(0)
        parts = urlsplit(url)
        if parts.netloc != urlsplit(base).netloc or parts.path.startswith(SKIPPED_PREFIXES):
            continue
        name = pattern_of(parts.path)
        english = parts.path.startswith("/en/")
        key = (who if name in PER_ROLE else None, english, name)
        if name is None or key in seen_patterns:
            continue
        if parts.path.endswith(FILE_SUFFIXES) or "xuat=" in parts.query:
            continue
        seen_patterns.add(key)
        try:
            response = page.goto(url)
        except PlaywrightError as error:  # a paper or picture served as a download
            if "Download is starting" in str(error):
                continue
            raise
        kind = response.headers.get("content-type", "")
        if response.status != 200 or not kind.startswith("text/html"):
            continue
        reached.add(name)
        problems.extend(violations(page))
        if not english:
            text = page.inner_text("body")
            problems.extend(
                f"{page.url} — date written dd-mm-yyyy: {d}" for d in DASHED_DATE.findall(text)
            )
        queue.extend(page.evaluate(LINKS))
    return reached


def sign_in(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}{reverse('login')}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_load_state()


def test_every_page_passes_axe_for_each_role(browser, live_server, demo):
    base = live_server.url
    context = browser.new_context(bypass_csp=True, viewport={"width": 1366, "height": 768})
    page = context.new_page()
    problems, seen, reached = [], set(), set()
    try:
        reached |= crawl(page, base, [f"{base}/", f"{base}/en/"], None, seen, problems)
        for role in ROLES:
            sign_in(page, base, role)
            for language in ("", "/en"):
                page.goto(f"{base}{language}{reverse('evaluation:todo')}")
                broken = page.evaluate(BROKEN_MENU_ITEMS)
                problems.extend(
                    f"{page.url} — {role}'s menu breaks {item!r} at 1366 px" for item in broken
                )
            # The to-do page, and the officials' statistics, which the public statistics
            # page (checked by the visitor) links to only for officials.
            start = [
                f"{base}{reverse(name)}"
                for name in ("evaluation:todo", "evaluation:official_statistics")
            ]
            reached |= crawl(page, base, start, role, seen, problems)
            assert (role, False, "evaluation:todo") in seen, f"{role} did not reach the to-do page"
    finally:
        context.close()
    assert not MUST_REACH - reached, f"The crawl did not reach {sorted(MUST_REACH - reached)}"
    assert not problems, "Accessibility (axe-core, serious or critical) and dates:\n" + "\n".join(
        problems
    )
