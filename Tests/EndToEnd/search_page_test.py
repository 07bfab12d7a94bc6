#!/usr/bin/env python3
"""The search page in real headless Chromium, served over HTTP on loopback under its base path.

Builds the sample briefing (base path /xinjiang/), a hostile briefing whose titles carry markup,
and a small ranking briefing, then types queries into the page as a reader would. Also runs
search_logic_test.js (search.js's ranking, filters and text rules under Node) on the ranking
briefing.

Usage: search_page_test.py PATH/TO/dossier
"""
import functools
import http.server
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chromium import Chromium  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PAYLOAD = '<img src=x onerror=alert(1)>'

HOSTILE = {
    "Content/site.yml": "title: Hostile\nbase_url: https://example.org/hostile/\n",
    "Content/actors/eu.md": "---\nname: European Union\ntype: organization\n---\nThe EU.\n",
    "Content/actions/payload.md": f"---\ntitle: \"{PAYLOAD} sanctions\"\ndate: 2021-03-22\ntype: sanction\nby: eu\nsummary: \"<script>alert(2)</script>\"\n---\nBody <b>bold</b>.\n",
}

def case(front, body="A body."):
    return "---\n" + front + "---\n" + body + "\n"


# The fixed briefing of search_logic_test.js, whose expected orders depend on every line here.
RANKING = {
    "Content/site.yml": "title: Ranking\nbase_url: https://example.org/ranking/\n",
    "Content/actors/ana-lee.md": case("name: Ana Lee\ntype: person\naliases: [A. Lee]\ncountry: Canada\nsummary: A Canadian official.\n"),
    "Content/actors/lee-holdings.md": case("name: Lee Holdings\ntype: organization\n"),
    "Content/actors/eu.md": case("name: European Union\ntype: organization\naliases: [EU]\n"),
    "Content/actors/eu-council.md": case("name: Council of the European Union\ntype: organization\n"),
    "Content/actors/jose-muller.md": case("name: José Müller\ntype: person\n"),
    "Content/actions/a-old.md": case("title: Sanctions on Ana Lee\ndate: 2019-01-01\ntype: sanction\nby: eu\ntargets: ana-lee\nmeasures: [asset freeze]\nlegal_basis: [Regulation 2020/1998]\n"),
    "Content/actions/a-new.md": case("title: Sanctions on Ana Lee renewed\ndate: 2022-01-01\ntype: sanction\nby: eu\ntargets: ana-lee\n"),
    "Content/actions/lee-statement.md": case("title: Lee Holdings responds\ndate: 2021-01-01\ntype: statement\nby: lee-holdings\n"),
    "Content/actions/body-only.md": case("title: Council statement\ndate: 2023-01-01\ntype: statement\nby: eu-council\n", "The council noted the freezing of assets held by Lee."),
    "Content/actions/travel-bans.md": case("title: Travel bans\ndate: 2020-06-01\ntype: sanction\nby: eu\nmeasures: [travel ban, asset freeze]\n"),
}

FIRST_RESULT = "(function(){var a=document.querySelector('#search-results li .result-title a');return a?a.textContent:null})()"
RESULT_COUNT = "document.querySelectorAll('#search-results li').length"
TITLES = "Array.from(document.querySelectorAll('#search-results .result-title a')).map(a => a.textContent)"
KINDS = "Array.from(document.querySelectorAll('#search-results .result-kind')).map(s => s.textContent)"
ACTIVE = "document.activeElement ? (document.activeElement.id || document.activeElement.textContent) : null"
KEYS = {"ArrowDown": 40, "ArrowUp": 38, "Escape": 27, "Enter": 13}


def write_briefing(root, files):
    for path, text in files.items():
        os.makedirs(os.path.dirname(os.path.join(root, path)), exist_ok=True)
        with open(os.path.join(root, path), "w", encoding="utf-8") as handle:
            handle.write(text)


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
        write_briefing(hostile_root, HOSTILE)
        build(dossier, hostile_root, os.path.join(www, "hostile"))
        ranking_root = os.path.join(work, "ranking")
        write_briefing(ranking_root, RANKING)
        build(dossier, ranking_root, os.path.join(www, "ranking"))
        server = serve(www)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        browser = Chromium()

        def press(key):
            for event in ("rawKeyDown", "keyUp"):
                browser.send("Input.dispatchKeyEvent", type=event, key=key, code=key, windowsVirtualKeyCode=KEYS[key])

        @test
        def search_logic_under_node():
            result = subprocess.run(["node", os.path.join(HERE, "search_logic_test.js"), os.path.join(REPO, "Templates", "assets", "search.js"),
                                     os.path.join(REPO, "Tests", "DossierKitTests", "Fixtures", "search-normalization.tsv"),
                                     os.path.join(www, "ranking")], capture_output=True, text=True)
            print(result.stdout, end="")
            assert result.returncode == 0, result.stderr

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
        def a_query_never_loads_the_whole_index():
            browser.navigate(f"{base}/xinjiang/search/?q=zhu")
            browser.wait_for(lambda: browser.evaluate(RESULT_COUNT) > 0, "results")
            loaded = browser.evaluate("performance.getEntriesByType('resource').map(e => e.name)")
            assert not any("search-index.json" in url for url in loaded), loaded
            assert any(re.search(r"/xinjiang/search/shards/t/[0-9]+\.bin$", url) for url in loaded), loaded

        @test
        def a_new_word_shows_its_results_after_one_fetch():
            # A word whose pack is not read yet: its results, titles and excerpts, come from that
            # one file, with no record or body fetched after it; the next keys fetch nothing.
            shards = "performance.getEntriesByType('resource').map(e => e.name.split('/search/shards/')[1]).filter(Boolean)"
            browser.navigate(f"{base}/xinjiang/search/")
            browser.wait_for(lambda: "manifest.json" in browser.evaluate(shards), "manifest")
            browser.evaluate("performance.clearResourceTimings()")
            browser.evaluate("document.getElementById('search-input').focus()")
            browser.type_text("kov")
            browser.wait_for(lambda: browser.evaluate(FIRST_RESULT) == "Michael Kovrig", "results")
            time.sleep(0.3)
            fetched = browser.evaluate(shards)
            assert len(fetched) == 1 and re.match(r"t/[0-9]+\.bin$", fetched[0]), fetched
            excerpts = browser.evaluate("Array.from(document.querySelectorAll('#search-results .result-excerpt')).map(p => p.textContent)")
            assert excerpts and all(excerpts), excerpts
            browser.evaluate("performance.clearResourceTimings()")
            browser.type_text("rig")
            browser.wait_for(lambda: "q=kovrig" in browser.evaluate("location.search"), "the next keys")
            time.sleep(0.3)
            assert browser.evaluate(shards) == [], browser.evaluate(shards)

        @test
        def the_ranking_briefing_in_the_page_puts_the_exact_name_first():
            browser.navigate(f"{base}/ranking/search/")
            browser.evaluate("document.getElementById('search-input').focus()")
            browser.type_text("Lee")
            browser.wait_for(lambda: browser.evaluate(RESULT_COUNT) == 6, "six results")
            assert browser.evaluate(TITLES) == ["Ana Lee", "Lee Holdings", "Lee Holdings responds", "Sanctions on Ana Lee renewed",
                                                "Sanctions on Ana Lee", "Council statement"], browser.evaluate(TITLES)
            marks = browser.evaluate("Array.from(document.querySelectorAll('#search-results mark')).map(m => m.textContent)")
            assert marks and all(m == "Lee" for m in marks), marks
            excerpt = browser.evaluate("document.querySelector('#search-results li:last-child .result-excerpt').textContent")
            assert "held by Lee" in excerpt, f"a body match shows the body around it: {excerpt!r}"

        @test
        def filters_narrow_the_results_and_are_kept_in_the_url():
            browser.navigate(f"{base}/ranking/search/?q=lee&kind=action&type=statement")
            browser.wait_for(lambda: browser.evaluate(RESULT_COUNT) > 0, "results")
            assert browser.evaluate(TITLES) == ["Lee Holdings responds", "Council statement"], browser.evaluate(TITLES)
            assert browser.evaluate("document.querySelector('select[name=kind]').value") == "action"
            browser.evaluate("(function(){var s=document.querySelector('select[name=kind]');s.value='actor';s.dispatchEvent(new Event('change'))})()")
            browser.evaluate("(function(){var s=document.querySelector('select[name=type]');s.value='';s.dispatchEvent(new Event('change'))})()")
            browser.wait_for(lambda: browser.evaluate(TITLES) == ["Ana Lee", "Lee Holdings"], "actors only")
            assert set(browser.evaluate(KINDS)) == {"Actor"}
            assert "kind=actor" in browser.evaluate("location.search")
            browser.evaluate("(function(){var s=document.querySelector('select[name=kind]');s.value='';s.dispatchEvent(new Event('change'))})()")
            browser.evaluate("(function(){var f=document.querySelector('input[name=from]');f.value='2021-01-01';f.dispatchEvent(new Event('change'))})()")
            browser.wait_for(lambda: browser.evaluate(TITLES) == ["Lee Holdings responds", "Sanctions on Ana Lee renewed", "Council statement"], "dated from 2021")

        @test
        def arrow_keys_move_through_the_results():
            browser.navigate(f"{base}/ranking/search/")
            browser.evaluate("document.getElementById('search-input').focus()")
            browser.type_text("sanctions")
            browser.wait_for(lambda: browser.evaluate(RESULT_COUNT) == 3, "three results")
            press("ArrowDown")
            assert browser.evaluate(ACTIVE) == "Sanctions on Ana Lee renewed", browser.evaluate(ACTIVE)
            press("ArrowDown")
            assert browser.evaluate(ACTIVE) == "Sanctions on Ana Lee", browser.evaluate(ACTIVE)
            press("ArrowUp")
            press("ArrowUp")
            assert browser.evaluate(ACTIVE) == "search-input", browser.evaluate(ACTIVE)
            press("ArrowDown")
            press("Escape")
            assert browser.evaluate(ACTIVE) == "search-input", browser.evaluate(ACTIVE)

        @test
        def the_back_button_returns_to_the_previous_search():
            browser.navigate(f"{base}/xinjiang/search/?q=kovrig")
            browser.wait_for(lambda: browser.evaluate(RESULT_COUNT) > 0, "results")
            browser.evaluate("(function(){var i=document.getElementById('search-input');i.focus();i.select()})()")
            browser.type_text("sassoli")
            press("Enter")
            browser.wait_for(lambda: browser.evaluate(FIRST_RESULT) == "David Sassoli", "the new search")
            assert "q=sassoli" in browser.evaluate("location.search")
            browser.evaluate("history.back()")
            browser.wait_for(lambda: "q=kovrig" in browser.evaluate("location.search"), "the previous address")
            browser.wait_for(lambda: browser.evaluate("document.getElementById('search-input').value") == "kovrig", "the previous query")
            browser.wait_for(lambda: browser.evaluate(FIRST_RESULT) == "Michael Kovrig", "the previous results")
            # Leaving for a result and coming back shows the same search.
            browser.evaluate("document.querySelector('#search-results .result-title a').click()")
            browser.wait_for(lambda: "/actors/michael-kovrig/" in browser.evaluate("location.pathname"), "the result's page")
            browser.evaluate("history.back()")
            browser.wait_for(lambda: browser.evaluate("location.pathname") == "/xinjiang/search/", "back on search")
            browser.wait_for(lambda: browser.evaluate(FIRST_RESULT) == "Michael Kovrig", "the results again")

        @test
        def the_page_is_labelled_for_assistive_technology():
            browser.navigate(f"{base}/xinjiang/search/?q=xinjiang")
            browser.wait_for(lambda: browser.evaluate(RESULT_COUNT) > 0, "results")
            assert browser.evaluate("document.getElementById('search-status').getAttribute('aria-live')") == "polite"
            assert browser.evaluate("document.querySelector('label[for=search-input]') !== null")
            unlabelled = browser.evaluate("Array.from(document.querySelectorAll('form select, form input')).filter(e => !e.labels || e.labels.length === 0).length")
            assert unlabelled == 0, unlabelled
            assert "result" in browser.evaluate("document.getElementById('search-status').textContent")

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
