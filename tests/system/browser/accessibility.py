"""axe-core in the browser: every page a journey shows is checked for accessibility.

axe-core is the npm package pinned in `axe/package-lock.json`, installed by `make browsers`
(npm) into `axe/node_modules`. Playwright injects it into the page as a script tag and runs
it; a violation of impact "serious" or "critical" (WCAG A and AA: contrast, names of
buttons and fields, landmarks, duplicate ids, the page's language, …) fails the test,
naming the rule, the elements and the page. Minor and moderate findings are left to review.

The site's Content-Security-Policy refuses inline scripts, so the journeys' browser context
bypasses it (`browser_context_args` in this folder's conftest); the policy has a test of
its own that does not.
"""

from pathlib import Path

import pytest

AXE = Path(__file__).parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
FAILING_IMPACTS = ("serious", "critical")

RUN_AXE = """async (impacts) => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations
    .filter(v => impacts.includes(v.impact))
    .map(v => ({rule: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
                count: v.nodes.length}));
}"""


def axe_script() -> Path:
    if not AXE.exists():
        pytest.fail(
            f"axe-core is not installed ({AXE} is missing): run `make browsers`, which "
            "installs it with npm from tests/system/browser/axe/package-lock.json."
        )
    return AXE


def violations(page) -> list[str]:
    """The serious and critical axe violations on the page as it stands, one line each."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=axe_script())
    found = page.evaluate(RUN_AXE, list(FAILING_IMPACTS))
    return [
        f"{page.url} — {v['impact']} {v['rule']} ({v['help']}): {v['count']} element(s): "
        + "; ".join(v["targets"])
        for v in found
    ]


def assert_accessible(page):
    found = violations(page)
    assert not found, "axe-core finds accessibility violations:\n" + "\n".join(found)
