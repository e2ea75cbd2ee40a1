"""Playwright on Debian's Chromium, with an axe WCAG 2.2 AA check on every page a journey visits.

Every test in this folder is marked `browser`. A journey uses the `journey` fixture: each page
the browser lands on is recorded, and the test fails at teardown if any of them was not checked
with `journey.check_accessibility()` or has violations.
"""

import os
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],
}


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if Path(str(item.fspath)).is_relative_to(here):
            item.add_marker(pytest.mark.browser)
            item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True))


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@dataclass
class Journey:
    """A signed-out browser tab on the live server, which checks every page it visits."""

    page: object
    base_url: str
    axe: Axe = field(default_factory=Axe)
    visited: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def check_accessibility(self) -> None:
        results = self.axe.run(self.page, options=AXE_OPTIONS)
        assert results.violations_count == 0, (
            f"Accessibility violations on {self.page.url}:\n{results.generate_report()}"
        )
        self.checked.add(self.page.url)

    def unchecked_pages(self) -> list[str]:
        return [url for url in dict.fromkeys(self.visited) if url not in self.checked]


@pytest.fixture
def journey(page, live_server):
    current = Journey(page=page, base_url=live_server.url)

    def record(frame):
        if frame == page.main_frame and frame.url.startswith(live_server.url):
            current.visited.append(frame.url)

    page.on("framenavigated", record)
    yield current
    missed = current.unchecked_pages()
    assert not missed, f"Pages visited without an accessibility check: {missed}"
