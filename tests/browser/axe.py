"""axe-core in the page under test (bundled by axe-playwright-python; nothing is fetched).

The rules: WCAG 2.0–2.2 A and AA, and axe's best practices — with the colour-contrast rule named
and switched on explicitly (text 4.5:1, large text 3:1), and every scan checked to have run it.
"""

RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa",
                                               "best-practice"]},
         "rules": {"color-contrast": {"enabled": True}}}


def axe_violations(page) -> list[str]:
    """Each violation on the page as it is now: rule, impact, help and the first elements."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=RULES).response
    assert len(results["passes"]) > 10  # axe really looked at the page
    # The contrast of the page's text was measured (passed or failed), not skipped.
    assert "color-contrast" in {rule["id"] for rule in results["passes"] + results["violations"]}, page.url
    return [f"{page.url}: {v['id']} ({v['impact']}) {v['help']} — {[n['target'] for n in v['nodes'][:3]]}"
            for v in results["violations"]]
