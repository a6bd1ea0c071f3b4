"""The README is the front door: it and the docs it links to point only at files that exist."""

import re

from conftest import ROOT

LINK = re.compile(r"\]\(([^)#\s]+)(#[^)]*)?\)")


def test_every_relative_link_in_the_readme_and_docs_resolves():
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    checked = 0
    for page in pages:
        for target, _anchor in LINK.findall(page.read_text()):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name} links to {target}, which does not exist"
            checked += 1
    assert checked >= 10


def test_the_readme_stays_a_front_door():
    lines = (ROOT / "README.md").read_text().splitlines()
    assert len(lines) < 200
    start = "\n".join(lines[:30])  # the two commands come first
    assert "make demo   #" in start and "make test   #" in start
