"""Every corpus entry builds into a site with MkDocs in strict mode, and every internal link
and anchor of that site resolves."""

from __future__ import annotations

import pytest

from tests.corpus import CORPUS, entries
from tests.sitecheck import check_links

pytestmark = pytest.mark.skipif(not entries(), reason=f"no corpus at {CORPUS}: set SCHEMADOCS_CORPUS")


@pytest.mark.parametrize("entry", entries())
def test_corpus_site_builds_strict_with_no_broken_links(entry, corpus_site, record_property):
    relations, site = corpus_site(entry)  # MkDocs runs with strict=True: any warning fails the build
    report = check_links(site)
    record_property("site", f"{entry}: {report.pages} pages, {report.links} internal links, {len(report.broken)} broken")
    assert report.pages >= relations
    assert report.broken == [], report.broken[:10]
