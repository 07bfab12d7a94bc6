#!/usr/bin/env python3
"""The search page in real headless Chromium, served over HTTP on loopback under its base path.

Builds the sample briefing (base path /xinjiang/) and a hostile briefing whose titles carry
markup, then types queries into the page as a reader would.

Usage: search_page_test.py PATH/TO/dossier
"""
import functools
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chromium import Chromium  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAYLOAD = '<img src=x onerror=alert(1)>'

HOSTILE = {
    "Content/site.yml": "title: Hostile\nbase_url: https://example.org/hostile/\n",
    "Content/actors/eu.md": "---\nname: European Union\ntype: organization\n---\nThe EU.\n",
    "Content/actions/payload.md": f"---\ntitle: \"{PAYLOAD} sanctions\"\ndate: 2021-03-22\ntype: sanction\nby: eu\nsummary: \"<script>alert(2)</script>\"\n---\nBody <b>bold</b>.\n",
}

FIRST_RESULT = "(function(){var a=document.querySelector('#search-results li .result-title a');return a?a.textContent:null})()"
RESULT_COUNT = "document.querySelectorAll('#search-results li').length"


def serve(folder):
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(QuietHandler, directory=folder)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def build(dossier, root, output):
    result = subprocess.run([dossier, "build", "--root", root, "--output", output], capture_output=True, text=True)
    if result.returncode != 0:
        raise RuntimeError(f"dossier build failed: {result.stderr}")


def main():
    dossier = os.path.abspath(sys.argv[1])
    tests = []

    def test(function):
        tests.append(function)
        return function

    with tempfile.TemporaryDirectory(prefix="dossier-browser-") as work:
        www = os.path.join(work, "www")
        build(dossier, REPO, os.path.join(www, "xinjiang"))
        hostile_root = os.path.join(work, "hostile")
        for path, text in HOSTILE.items():
            os.makedirs(os.path.dirname(os.path.join(hostile_root, path)), exist_ok=True)
            with open(os.path.join(hostile_root, path), "w", encoding="utf-8") as handle:
                handle.write(text)
        build(dossier, hostile_root, os.path.join(www, "hostile"))
        server = serve(www)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        browser = Chromium()

        @test
        def typing_shows_results_as_the_reader_types():
            browser.navigate(f"{base}/xinjiang/search/")
            browser.evaluate("document.getElementById('search-input').focus()")
            browser.type_text("zhu hai")
            browser.wait_for(lambda: browser.evaluate(FIRST_RESULT) is not None, "results")
            first = browser.evaluate(FIRST_RESULT)
            assert first == "Zhu Hailun", f"first result is {first!r}"
            href = browser.evaluate("document.querySelector('#search-results li .result-title a').getAttribute('href')")
            assert href == "/xinjiang/actors/zhu-hailun/", href
            assert "q=zhu" in browser.evaluate("location.search"), "the query is kept in the URL"

        @test
        def a_linked_query_opens_with_results():
            browser.navigate(f"{base}/xinjiang/search/?q=kovrig")
            browser.wait_for(lambda: browser.evaluate(RESULT_COUNT) > 0, "results")
            titles = browser.evaluate("Array.from(document.querySelectorAll('#search-results .result-title a')).map(a => a.textContent)")
            assert any("Kovrig" in title for title in titles), titles
            status = browser.evaluate("document.getElementById('search-status').textContent")
            assert str(len(titles)) in status, status

        @test
        def name_matches_rank_above_body_matches():
            browser.navigate(f"{base}/xinjiang/search/?q=sassoli")
            browser.wait_for(lambda: browser.evaluate(RESULT_COUNT) > 1, "several results")
            first = browser.evaluate(FIRST_RESULT)
            assert first == "David Sassoli", f"first result is {first!r}"

        @test
        def markup_in_titles_shows_as_text():
            browser.navigate(f"{base}/hostile/search/?q=sanctions")
            browser.wait_for(lambda: browser.evaluate(RESULT_COUNT) > 0, "results")
            first = browser.evaluate(FIRST_RESULT)
            assert first == f"{PAYLOAD} sanctions", f"first result is {first!r}"
            assert browser.evaluate("document.querySelectorAll('#search-results img, #search-results script').length") == 0
            assert browser.dialogs() == [], "a script from content ran"

        @test
        def the_action_page_escapes_the_payload():
            browser.navigate(f"{base}/hostile/actions/payload/")
            assert browser.evaluate("document.querySelectorAll('main img').length") == 0
            assert PAYLOAD in browser.evaluate("document.querySelector('h1').textContent")
            assert browser.dialogs() == [], "a script from content ran"

        passed = failed = 0
        try:
            for function in tests:
                try:
                    function()
                    passed += 1
                    print(f"ok: {function.__name__}")
                except Exception:
                    failed += 1
                    print(f"FAIL: {function.__name__}")
                    traceback.print_exc()
        finally:
            browser.close()
            server.shutdown()
    print(f"browser: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
