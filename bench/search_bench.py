#!/usr/bin/env python3
"""make bench-search: the search page on the generated 10,000-action briefing, against Pagefind.

Steps:

  1. dossier in release (BENCH_DOSSIER=path skips the build);
  2. the corpus: ../shared/bench/gen_corpus.py --actions 10000 --actors 2000 --seed 1, in the same
     folder and with the same stamp as bench/run.py (/tmp/dossier-bench/a10000-m2000), so the two
     benchmarks share it;
  3. dossier build into WORK/www/briefing/ (the corpus's base path is /briefing/);
  4. the index build time: `dossier build --timings`, which times SearchShards.files alone
     (CPU and wall, median of 3) on the same briefing (BENCH_INDEX_TIMING=0 skips it: it compiles
     the test target in release, a few minutes the first time);
  5. Pagefind (PyPI pagefind-bin, installed with pip if missing) over the same built site, under
     /usr/bin/time -v, R runs;
  6. headless Chromium over loopback HTTP (python's http.server with keep-alive and TCP_NODELAY;
     no compression, so the bytes are the files' own; dossier's packs and Pagefind's files are
     compressed already), cache disabled, a fresh page each run:
     for each query pair, the bytes fetched from opening the page until the first query's results
     show (everything but the HTML document and the stylesheet: the search script, its index
     files and, for Pagefind, its wasm), the bytes fetched for the second query, and the time from
     the keystroke to the results for each. Pagefind runs through its JavaScript API on a minimal
     page that shows 10 results with their excerpts, as dossier's page does; its own UI would add
     a debounce and more bytes. The third query is typed a key at a time, 150 ms apart, each
     keystroke timed to its results; search.js's throttle (at most one fetching query per 60 ms)
     never holds these back, since each waits for its results. So a last pass types it again on a
     fresh page a key every 40 ms, not waiting, and times the last key to its results.

Prints a table of medians (min-max) and writes every run to WORK/search-results.json.

  BENCH_RUNS=5   BENCH_DIR=/tmp/dossier-bench   BENCH_DOSSIER=path   BENCH_INDEX_TIMING=0
"""
import functools
import http.server
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared", "bench")
WORK = os.environ.get("BENCH_DIR", "/tmp/dossier-bench")
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
ACTIONS, ACTORS = 10000, 2000

sys.path.insert(0, os.path.join(REPO, "Tests", "EndToEnd"))
from chromium import Chromium  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import run as run_bench  # noqa: E402

# Queries a reader might type: a person's name, an alias, a measure, a legal basis, a place, an
# organization. Each row: the first query and the second, typed at once, then a third typed one
# key at a time. All have results in both engines on the seed-1 corpus.
QUERY_PAIRS = [
    ("nathalie pham", "import ban", "deng hill"),
    ("aapf", "resolution 1718", "guangdong production"),
    ("hanoi", "asset freeze", "executive order"),
]
TYPING_PAUSE_S = 0.15  # between keystrokes, about a fast typist's

PAGEFIND_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Pagefind</title></head>
<body><input id="q"><ol id="r"></ol>
<script type="module">
let pagefind = null;
window.runQuery = async (query) => {
  if (!query.trim()) { return { ms: 0, count: 0, titles: [] }; }
  const start = performance.now();
  if (!pagefind) {
    pagefind = await import("/briefing/pagefind/pagefind.js");
    await pagefind.options({ baseUrl: "/briefing/" });
    await pagefind.init();
  }
  const search = await pagefind.search(query);
  const data = await Promise.all(search.results.slice(0, 10).map((result) => result.data()));
  const list = document.getElementById("r");
  list.replaceChildren(...data.map((d) => {
    const item = document.createElement("li");
    item.textContent = d.meta.title + " " + d.excerpt.replace(/<[^>]*>/g, "");
    return item;
  }));
  return { ms: performance.now() - start, count: search.results.length, titles: data.map((d) => d.meta.title) };
};
</script></body></html>
"""

# Types a query into dossier's search page as one input event and resolves when the page says
# its results are on screen (search.js's "search-results" event): the time a reader waits after
# the keystroke.
DOSSIER_QUERY = """(async (query) => {
  const input = document.getElementById("search-input");
  const results = document.getElementById("search-results");
  const status = document.getElementById("search-status");
  return await new Promise((resolve) => {
    const start = performance.now();
    const done = (event) => {
      if (event.detail.query !== query.trim()) { return; }
      input.form.removeEventListener("search-results", done);
      resolve({ ms: performance.now() - start, count: status.textContent,
                titles: Array.from(results.querySelectorAll(".result-title a")).map((a) => a.textContent) });
    };
    input.form.addEventListener("search-results", done);
    setTimeout(() => resolve({ ms: null, count: "timeout", titles: [] }), 5000);
    input.value = query;
    input.dispatchEvent(new Event("input", { bubbles: true }));
  });
})(%s)"""


# The same query typed a key every `gap` ms without waiting for results; resolves with the time
# from the last key to the results of the whole query.
DOSSIER_FAST = """(async (query, gap) => {
  const input = document.getElementById("search-input");
  return await new Promise((resolve) => {
    let last = null;
    const done = (event) => {
      if (last === null || event.detail.query !== query.trim()) { return; }
      input.form.removeEventListener("search-results", done);
      resolve({ ms: performance.now() - last });
    };
    input.form.addEventListener("search-results", done);
    setTimeout(() => resolve({ ms: null }), 5000);
    let end = 0;
    const key = () => {
      end += 1;
      input.value = query.slice(0, end);
      if (end === query.length) { last = performance.now(); }
      input.dispatchEvent(new Event("input", { bubbles: true }));
      if (end < query.length) { setTimeout(key, gap); }
    };
    key();
  });
})(%s, %d)"""

PAGEFIND_FAST = """(async (query, gap) => {
  const earlier = [];
  for (let end = 1; end < query.length; end++) {
    earlier.push(window.runQuery(query.slice(0, end)));
    await new Promise((resolve) => setTimeout(resolve, gap));
  }
  const start = performance.now();
  await window.runQuery(query);
  const ms = performance.now() - start;
  // Let the earlier queries finish, so their fetches are not counted in the next page's bytes.
  await Promise.allSettled(earlier);
  return { ms: ms };
})(%s, %d)"""
FAST_GAP_MS = 40


def log(message):
    print(message, file=sys.stderr, flush=True)


def release_build():
    if os.environ.get("BENCH_DOSSIER"):
        return os.path.abspath(os.environ["BENCH_DOSSIER"])
    log("building dossier in release")
    subprocess.run(["swift", "build", "-c", "release", "--product", "dossier"], cwd=REPO, check=True, stdout=subprocess.DEVNULL)
    return os.path.join(REPO, ".build", "release", "dossier")


def corpus():
    # The same folder and stamp as make bench (bench/run.py), so the two share the corpus.
    return run_bench.corpus(ACTIONS)[0]


def tree(path):
    files = size = 0
    for folder, _, names in os.walk(path):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(folder, name))
    return files, size


def timed(cmd, cwd=None):
    """Wall (monotonic), user+sys CPU and peak RSS of cmd under /usr/bin/time -v."""
    start = time.monotonic()
    process = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if process.returncode != 0:
        sys.stderr.write(process.stderr[-3000:])
        raise SystemExit("command failed: " + " ".join(cmd))

    def field(name):
        match = re.search(r"^\s*" + re.escape(name) + r": (.*)$", process.stderr, re.M)
        return float(match.group(1)) if match else 0.0
    return {"wall": wall, "cpu": field("User time (seconds)") + field("System time (seconds)"),
            "rss_mb": field("Maximum resident set size (kbytes)") / 1024}


def index_timing(dossier, root):
    """The sharded index's own build time, as `dossier build --timings` reports it (median of 3)."""
    if os.environ.get("BENCH_INDEX_TIMING") == "0":
        return {}
    log("timing the index build (dossier build --timings, 3 runs)")
    walls, cpus = [], []
    output = tempfile.mkdtemp(prefix="dossier-index-timing-")
    try:
        for _ in range(3):
            # --clean: otherwise the second run finds nothing changed and builds nothing.
            result = subprocess.run([dossier, "build", "--root", root, "--output", output, "--timings", "--clean"],
                                    capture_output=True, text=True)
            wall = re.search(r"^search index wall ([0-9.]+) s$", result.stdout, re.M)
            cpu = re.search(r"^search index cpu ([0-9.]+) s$", result.stdout, re.M)
            if result.returncode != 0 or not wall or not cpu:
                log((result.stdout + result.stderr)[-3000:])
                raise SystemExit("dossier build --timings failed")
            walls.append(float(wall.group(1)))
            cpus.append(float(cpu.group(1)))
    finally:
        shutil.rmtree(output, ignore_errors=True)
    return {"shards_seconds": statistics.median(walls), "shards_cpu_seconds": statistics.median(cpus)}


def pagefind_binary():
    def find():
        try:
            out = subprocess.run([sys.executable, "-c", "import pagefind_bin; print(pagefind_bin.get_executable())"],
                                 capture_output=True, text=True)
            return out.stdout.strip() if out.returncode == 0 and out.stdout.strip() else None
        except OSError:
            return None
    binary = shutil.which("pagefind") or find()
    if not binary:
        log("installing pagefind-bin from PyPI")
        subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "pagefind-bin"], check=True)
        binary = find()
    version = subprocess.run([binary, "--version"], capture_output=True, text=True).stdout.strip()
    return binary, version


class Meter:
    """Counts what the server sends: every response's bytes (body and headers) but the HTML
    documents and the stylesheet. Counted at the server because Pagefind fetches from a web
    worker, whose requests the page's DevTools session does not see."""

    def __init__(self):
        self.lock = threading.Lock()
        self.log = []

    def record(self, path, size):
        with self.lock:
            self.log.append((path, size))

    def start(self):
        with self.lock:
            self.log = []

    def stop(self):
        time.sleep(0.2)
        with self.lock:
            counted = [(p, n) for p, n in self.log if not p.split("?")[0].endswith((".html", "/", ".css"))]
        return {"bytes": sum(n for _, n in counted), "requests": len(counted), "urls": [p for p, _ in counted]}


def serve(folder, meter):
    class Handler(http.server.SimpleHTTPRequestHandler):
        # Keep-alive, as any real host: HTTP/1.0 would add a connection per request.
        protocol_version = "HTTP/1.1"
        # TCP_NODELAY, as any real host: http.server sends the headers and the body in two
        # writes, and with Nagle's algorithm the body then waits for the client's delayed ACK of
        # the headers, 40 ms on Linux, on about half the responses of either engine.
        disable_nagle_algorithm = True
        extensions_map = dict(http.server.SimpleHTTPRequestHandler.extensions_map, **{".wasm": "application/wasm", ".js": "text/javascript"})

        def log_message(self, *args):
            pass

        def send_header(self, keyword, value):
            self.header_bytes = getattr(self, "header_bytes", 0) + len(keyword) + len(str(value)) + 4
            super().send_header(keyword, value)

        def do_GET(self):
            self.header_bytes = 0
            path = self.translate_path(self.path)
            if os.path.isdir(path):
                path = os.path.join(path, "index.html")
            super().do_GET()
            body = os.path.getsize(path) if os.path.isfile(path) else 0
            meter.record(self.path, body + self.header_bytes + 20)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def typed(run_query, query):
    """Keystroke-to-results times of `query` typed one key at a time, a pause between keys."""
    times = []
    for end in range(1, len(query) + 1):
        if query[end - 1] == " ":
            continue  # the same words as the previous keystroke: nothing new to show
        time.sleep(TYPING_PAUSE_S)
        times.append(run_query(query[:end])["ms"])
    return times


def measure_dossier(browser, meter, base, first, second, third):
    meter.start()
    browser.navigate(f"{base}/briefing/search/")
    browser.wait_for(lambda: browser.evaluate("performance.getEntriesByType('resource').some(e => e.name.endsWith('manifest.json'))"), "manifest")
    one = browser.evaluate(DOSSIER_QUERY % json.dumps(first))
    load = meter.stop()
    meter.start()
    two = browser.evaluate(DOSSIER_QUERY % json.dumps(second))
    more = meter.stop()
    keys = typed(lambda q: browser.evaluate(DOSSIER_QUERY % json.dumps(q)), third)
    browser.navigate(f"{base}/briefing/search/")
    browser.wait_for(lambda: browser.evaluate("performance.getEntriesByType('resource').some(e => e.name.endsWith('manifest.json'))"), "manifest")
    fast = browser.evaluate(DOSSIER_FAST % (json.dumps(third), FAST_GAP_MS))["ms"]
    time.sleep(0.3)  # what the earlier keys fetched lands before the next page is metered
    return {"first": {**one, **load}, "second": {**two, **more}, "typing": keys, "fast": fast}


def measure_pagefind(browser, meter, base, first, second, third):
    meter.start()
    browser.navigate(f"{base}/pagefind-bench.html")
    one = browser.evaluate("window.runQuery(%s)" % json.dumps(first))
    load = meter.stop()
    meter.start()
    two = browser.evaluate("window.runQuery(%s)" % json.dumps(second))
    more = meter.stop()
    keys = typed(lambda q: browser.evaluate("window.runQuery(%s)" % json.dumps(q)), third)
    browser.navigate(f"{base}/pagefind-bench.html")
    fast = browser.evaluate(PAGEFIND_FAST % (json.dumps(third), FAST_GAP_MS))["ms"]
    return {"first": {**one, **load}, "second": {**two, **more}, "typing": keys, "fast": fast}


def median(values):
    values = [v for v in values if v is not None]
    if not values:
        return "–"
    m = statistics.median(values)
    return (m, min(values), max(values))


def fmt(stat, unit, scale=1.0, digits=0):
    if stat == "–":
        return stat
    m, lo, hi = (v * scale for v in stat)
    f = "{:,.%df}" % digits
    return f"{f.format(m)} {unit} ({f.format(lo)}–{f.format(hi)})"


def main():
    dossier = release_build()
    root = corpus()
    www = os.path.join(WORK, "search-www")
    site = os.path.join(www, "briefing")
    shutil.rmtree(www, ignore_errors=True)
    os.makedirs(www)
    log("building the site")
    build = timed([dossier, "build", "--root", root, "--output", site])
    shards_files, shards_bytes = tree(os.path.join(site, "search", "shards"))
    site_files, _ = tree(site)
    export_bytes = os.path.getsize(os.path.join(site, "search-index.json"))
    timing = index_timing(dossier, root)

    binary, version = pagefind_binary()
    log("running %s over the built site, %d runs" % (version, RUNS))
    pagefind_runs = []
    for _ in range(RUNS):
        shutil.rmtree(os.path.join(site, "pagefind"), ignore_errors=True)
        pagefind_runs.append(timed([binary, "--site", site]))
    pagefind_files, pagefind_bytes = tree(os.path.join(site, "pagefind"))
    with open(os.path.join(www, "pagefind-bench.html"), "w") as handle:
        handle.write(PAGEFIND_PAGE)

    meter = Meter()
    server = serve(www, meter)
    base = f"http://127.0.0.1:{server.server_address[1]}"
    browser = Chromium()
    browser.send("Network.enable")
    browser.send("Network.setCacheDisabled", cacheDisabled=True)
    runs = {"dossier": [], "pagefind": []}
    try:
        for run in range(RUNS):
            for first, second, third in QUERY_PAIRS:
                # Alternate the engines so both see the same load on a shared machine.
                for engine, measure in (("dossier", measure_dossier), ("pagefind", measure_pagefind)):
                    result = measure(browser, meter, base, first, second, third)
                    result.update(run=run, queries=[first, second, third])
                    runs[engine].append(result)
                    if run == 0:
                        log("%-8s %-15s %6.1f KB %2d req %5.1f ms | %-15s %6.1f KB %5.1f ms | typing %s ms | first: %s" % (
                            engine, first, result["first"]["bytes"] / 1024, result["first"]["requests"], result["first"]["ms"], second,
                            result["second"]["bytes"] / 1024, result["second"]["ms"],
                            "/".join("%.0f" % t if t is not None else "-" for t in result["typing"]),
                            (result["first"]["titles"] or ["(none)"])[0]))
    finally:
        browser.close()
        server.shutdown()

    def typing_stat(engine):
        times = sorted(t for r in runs[engine] for t in r["typing"] if t is not None)
        if not times:
            return "–"
        return "median %.1f ms, 90th %.1f ms, max %.1f ms (%d keys)" % (
            statistics.median(times), times[int(0.9 * (len(times) - 1))], times[-1], len(times))

    def stat(engine, which, key, pair=None):
        return median([r[which][key] for r in runs[engine] if pair is None or r["queries"][0] == pair])

    rows = [
        ("index build, wall", fmt(median([timing.get("shards_seconds")]) if timing else "–", "s", digits=2),
         fmt(median([r["wall"] for r in pagefind_runs]), "s", digits=2)),
        ("index build, CPU", fmt(median([timing.get("shards_cpu_seconds")]) if timing else "–", "s", digits=2),
         fmt(median([r["cpu"] for r in pagefind_runs]), "s", digits=2)),
        ("index build, peak RSS", "(in the build: %.0f MB for the whole site)" % build["rss_mb"],
         fmt(median([r["rss_mb"] for r in pagefind_runs]), "MB")),
        ("index size on disk", "%.1f MB in %s files" % (shards_bytes / 1e6, f"{shards_files:,}"),
         "%.1f MB in %s files" % (pagefind_bytes / 1e6, f"{pagefind_files:,}")),
        ("first query: bytes fetched", fmt(stat("dossier", "first", "bytes"), "KB", 1 / 1024),
         fmt(stat("pagefind", "first", "bytes"), "KB", 1 / 1024)),
        ("first query: requests", fmt(stat("dossier", "first", "requests"), ""), fmt(stat("pagefind", "first", "requests"), "")),
        ("second query: bytes fetched", fmt(stat("dossier", "second", "bytes"), "KB", 1 / 1024),
         fmt(stat("pagefind", "second", "bytes"), "KB", 1 / 1024)),
        ("first query: keystroke to results", fmt(stat("dossier", "first", "ms"), "ms", digits=1),
         fmt(stat("pagefind", "first", "ms"), "ms", digits=1)),
        ("second query: keystroke to results", fmt(stat("dossier", "second", "ms"), "ms", digits=1),
         fmt(stat("pagefind", "second", "ms"), "ms", digits=1)),
        ("typing a third query, each keystroke to results", typing_stat("dossier"), typing_stat("pagefind")),
        (f"typing it fast (a key every {FAST_GAP_MS} ms), last key to results", fmt(median([r["fast"] for r in runs["dossier"]]), "ms", digits=1),
         fmt(median([r["fast"] for r in runs["pagefind"]]), "ms", digits=1)),
    ]
    for first, second, _ in QUERY_PAIRS:
        rows.append((f"“{first}” then “{second}”: KB, ms",
                     "%.1f + %.1f KB, %.1f + %.1f ms" % (stat("dossier", "first", "bytes", first)[0] / 1024, stat("dossier", "second", "bytes", first)[0] / 1024,
                                                           stat("dossier", "first", "ms", first)[0], stat("dossier", "second", "ms", first)[0]),
                     "%.1f + %.1f KB, %.1f + %.1f ms" % (stat("pagefind", "first", "bytes", first)[0] / 1024, stat("pagefind", "second", "bytes", first)[0] / 1024,
                                                           stat("pagefind", "first", "ms", first)[0], stat("pagefind", "second", "ms", first)[0])))

    print(f"\nSearch on {ACTIONS:,} actions + {ACTORS:,} actors: medians (min–max) of {RUNS} runs x {len(QUERY_PAIRS)} query pairs; {version}; "
          f"load average {os.getloadavg()[0]:.1f}\n")
    print("| | dossier | Pagefind |")
    print("|---|---|---|")
    for name, ours, theirs in rows:
        print(f"| {name} | {ours} | {theirs} |")
    print(f"\nsearch-index.json (the full export, never loaded by the page): {export_bytes / 1e6:.1f} MB. "
          f"Whole dossier build: {build['wall']:.1f} s wall, {site_files:,} files.")

    with open(os.path.join(WORK, "search-results.json"), "w") as handle:
        json.dump({"pagefind_version": version, "index_timing": timing, "pagefind_runs": pagefind_runs, "build": build,
                   "shards": {"files": shards_files, "bytes": shards_bytes},
                   "pagefind_index": {"files": pagefind_files, "bytes": pagefind_bytes}, "runs": runs}, handle, indent=1)
    log("raw runs: %s" % os.path.join(WORK, "search-results.json"))


if __name__ == "__main__":
    main()
