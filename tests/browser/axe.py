"""axe-core in the page under test (bundled by axe-playwright-python; nothing is fetched).

The rules: WCAG 2.0–2.2 A and AA, and axe's best practices.
"""

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                               "best-practice"]}}


def axe_violations(page) -> list[str]:
    """Each violation on the page as it is now: rule, impact, help and the first elements."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=RULES).response
    assert len(results["passes"]) > 10  # axe really looked at the page
    return [f"{page.url}: {v['id']} ({v['impact']}) {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in results["violations"]]
