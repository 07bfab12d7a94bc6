#!/usr/bin/env python3
"""make bench: dossier's full build against Hugo and against the floor, at several scales.

For each scale (actions; actors are a fifth of that, as in ../shared/bench):

  1. the corpus: ../shared/bench/gen_corpus.py --seed 1 into /tmp/dossier-bench/aN-mM
     (kept between runs: the generator is deterministic, a stamp file records its arguments);
  2. R runs, alternating so both see the same load on a shared machine:
     - dossier build into a new output folder (site-run-N, its work folder beside it);
     - hugo --quiet into a new folder (public-run-N; only when `hugo` is installed; the Hugo
       site comes from ../shared/bench/hugo_site.py);
     Every full build and copy writes a folder of its own, and nothing is deleted until the
     whole benchmark is over: on this machine's ext4 (no journal), each inode created within
     six minutes of many being deleted is found by scanning past the deleted ones (the kernel's
     `recently_deleted`: a minute once the inode tables are written back, six while they are
     dirty, and a build writing new inodes into the same tables keeps them dirty), so a tree
     removed right before a build made that build's system time grow run after run (10.9 to
     20.1 s for the same 10k build, `cp -r` of its output 2.3 to 13.9 s; a 50k build 27.9 s
     in tmpfs took 38 to 55 s on the disk within six minutes of a removal, a quarter to a
     third of its samples in that scan). A build from nothing is what a first build or a CI
     build is; the scan is not. Leftovers of an interrupted benchmark are removed at the
     start, then it waits 370 s; so does a benchmark started less than 370 s after another
     removed its folders (`.removed-at` in the work folder).
  3. rebuilds over the last full build's site (issue 4): R no-op rebuilds (nothing changed: the
     input stamp matches), then R rebuilds each after appending a paragraph to one action's body;
  4. the floor, R runs each: `cmark` over every body concatenated in one file, one process;
     `cp -r` of dossier's output into a new folder each run.

Every timed command runs under /usr/bin/time -v (user and sys CPU, peak RSS); wall time is a
monotonic clock around it. Before each, `sync` writes what earlier runs left in the page cache
to the disk, untimed, so no run pays for another's writeback. The table gives medians with
min-max; the raw runs go to /tmp/dossier-bench/results.json.

  BENCH_SCALES=1000,10000 (default)   BENCH_SCALES=50000 make bench   (or make bench-large)
  BENCH_RUNS=5 (3 at 50,000 and above)   BENCH_DOSSIER=path (skip the release build)
  BENCH_HUGO=0 (leave Hugo out: at 50,000 actions it needs ~100 s and ~9 GB a run)
"""
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(REPO), "shared", "bench")
WORK = os.environ.get("BENCH_DIR", "/tmp/dossier-bench")
SCRATCH = os.environ.get("BENCH_SCRATCH", os.path.join(REPO, ".build-bench"))
# Seconds after removing many files before a timed build may create inodes (see the top).
SETTLE = 370


def log(message):
    print(message, file=sys.stderr, flush=True)


def timed(cmd, cwd=None, stdout=subprocess.DEVNULL):
    """Runs cmd under /usr/bin/time -v: wall (monotonic), user, sys, cpu, rss_mb and stdout.

    What earlier runs wrote is flushed to the disk first, untimed (as hyperfine's `--prepare
    sync`): a full build leaves 600 MB to 1 GB in the page cache for the kernel to write back,
    and on two cores its writeback threads took CPU time from whichever run came next, a Hugo
    run after a dossier run or the other way round, and the rebuilds after them all."""
    os.sync()
    start = time.monotonic()
    process = subprocess.run(["/usr/bin/time", "-v"] + cmd, cwd=cwd, stdout=stdout, stderr=subprocess.PIPE, text=True)
    wall = time.monotonic() - start
    if process.returncode != 0:
        sys.stderr.write(process.stderr[-3000:])
        raise SystemExit("command failed (%d): %s" % (process.returncode, " ".join(cmd)))

    def field(name):
        match = re.search(r"^\s*%s:\s*([0-9.]+)\s*$" % re.escape(name), process.stderr, re.M)
        return float(match.group(1)) if match else float("nan")

    user, system = field("User time (seconds)"), field("System time (seconds)")
    return {"wall": wall, "user": user, "sys": system, "cpu": user + system,
            "rss_mb": field("Maximum resident set size (kbytes)") / 1024.0,
            "stdout": process.stdout if stdout == subprocess.PIPE else ""}


def summary(runs, keys=("wall", "user", "sys", "cpu", "rss_mb", "pages_per_s")):
    out = {}
    for key in keys:
        values = [run[key] for run in runs if key in run]
        if values:
            out[key] = {"median": statistics.median(values), "min": min(values), "max": max(values),
                        "runs": [round(v, 3) for v in values]}
    return out


def loadavg():
    with open("/proc/loadavg") as handle:
        return float(handle.read().split()[0])


def release_build():
    if os.environ.get("BENCH_DOSSIER"):
        return os.path.abspath(os.environ["BENCH_DOSSIER"])
    log("building dossier in release (%s)" % os.path.relpath(SCRATCH, REPO))
    # As `make release` builds it (see the Makefile).
    subprocess.run(["swift", "build", "-c", "release", "--static-swift-stdlib", "--scratch-path", SCRATCH, "--product", "dossier"], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(SCRATCH, "release", "dossier")


def corpus(actions):
    actors = max(actions // 5, 1)
    folder = os.path.join(WORK, "a%d-m%d" % (actions, actors))
    stamp = os.path.join(folder, ".stamp")
    arguments = "--actions %d --actors %d --seed 1" % (actions, actors)
    if not (os.path.exists(stamp) and open(stamp).read() == arguments):
        log("generating %s" % folder)
        shutil.rmtree(os.path.join(folder, "Content"), ignore_errors=True)
        os.makedirs(folder, exist_ok=True)
        subprocess.run([sys.executable, os.path.join(SHARED, "gen_corpus.py"), folder] + arguments.split(), check=True,
                       stdout=subprocess.DEVNULL)
        shutil.rmtree(os.path.join(folder, "hugo"), ignore_errors=True)
        with open(stamp, "w") as handle:
            handle.write(arguments)
    return folder, actors


def strip_front_matter(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    text = data.decode("utf-8").replace("\r\n", "\n")
    return text[text.index("\n---\n", 3) + 5:]


def tree_stats(path):
    files = size = 0
    for root, _, names in os.walk(path):
        for name in names:
            files += 1
            size += os.path.getsize(os.path.join(root, name))
    return files, size


def bench_scale(dossier, actions, runs, use_hugo):
    folder, actors = corpus(actions)
    content = os.path.join(folder, "Content")
    result = {"actions": actions, "actors": actors, "runs": runs, "load": []}

    hugo_dir = os.path.join(folder, "hugo")
    if use_hugo and not os.path.isdir(hugo_dir):
        subprocess.run([sys.executable, os.path.join(SHARED, "hugo_site.py"), content, hugo_dir], check=True, stdout=subprocess.DEVNULL)

    dossier_runs, hugo_runs = [], []
    for index in range(runs):
        result["load"].append(loadavg())
        # A new folder each run (see the top); its work folder, with the back folder, records
        # and caches, goes beside it (Write/SiteWriter.swift).
        output = os.path.join(folder, "site-run-%d" % index)
        run = timed([dossier, "build", "--root", folder, "--output", output], stdout=subprocess.PIPE)
        pages = int(re.search(r"Built (\d+) pages?", run.pop("stdout")).group(1))
        run["pages"] = pages
        run["pages_per_s"] = pages / run["wall"]
        dossier_runs.append(run)
        log("  %6d actions  dossier run %d: %.2f s wall, %.2f s cpu, %.0f MB" % (actions, index + 1, run["wall"], run["cpu"], run["rss_mb"]))
        if use_hugo:
            run = timed(["hugo", "--quiet", "--destination", "public-run-%d" % index], cwd=hugo_dir)
            hugo_runs.append(run)
            log("  %6d actions  hugo    run %d: %.2f s wall, %.2f s cpu, %.0f MB" % (actions, index + 1, run["wall"], run["cpu"], run["rss_mb"]))
    result["dossier"] = summary(dossier_runs)
    result["pages"] = dossier_runs[0]["pages"]
    result["output_files"], result["output_bytes"] = tree_stats(output)

    # Rebuilds over the site the last full build left (issue 4): nothing changed, then one
    # action's body edited before each run (a different action each time). A build into a new
    # folder leaves no back folder beside it (Write/SiteWriter.swift) and a rebuild with nothing
    # changed does no work, so the first rebuild that does work links every file of the site
    # into a new back folder: that is done once, untimed, by an edit of an action no timed edit
    # touches, and the timed edits measure the rebuilds after it.
    names = sorted(os.listdir(os.path.join(content, "actions")))
    originals = {}

    def edit(path, label):
        with open(path, encoding="utf-8") as handle:
            originals.setdefault(path, handle.read())
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("\nA paragraph added for the benchmark, %s.\n" % label)

    edit(os.path.join(content, "actions", names[-1]), "before the timed runs")
    timed([dossier, "build", "--root", folder, "--output", output])
    # A file under two seconds old is read again, as its time may not tell a later write.
    time.sleep(2.1)
    timed([dossier, "build", "--root", folder, "--output", output])
    noop_runs, edit_runs = [], []
    for index in range(runs):
        run = timed([dossier, "build", "--root", folder, "--output", output], stdout=subprocess.PIPE)
        if "(nothing changed)" not in run.pop("stdout"):
            log("  warning: the no-op rebuild did work (are the case files less than 2 s old?)")
        noop_runs.append(run)
    for index in range(runs):
        edit(os.path.join(content, "actions", names[(index * 7919) % len(names)]), "run %d" % index)
        edit_runs.append(timed([dossier, "build", "--root", folder, "--output", output]))
    for path, text in originals.items():
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    result["noop"] = summary(noop_runs)
    result["edit"] = summary(edit_runs)
    log("  %6d actions  no-op rebuild %.3f s, one-body edit %.2f s (medians)" % (actions, result["noop"]["wall"]["median"], result["edit"]["wall"]["median"]))
    if hugo_runs:
        result["hugo"] = summary(hugo_runs)

    # The floor: cmark over every body in one process, and copying the output's bytes.
    bodies = os.path.join(folder, "bodies.md")
    with open(bodies, "w", encoding="utf-8") as out:
        for kind in ("actors", "actions", "pages"):
            for name in sorted(os.listdir(os.path.join(content, kind))):
                out.write(strip_front_matter(os.path.join(content, kind, name)))
                out.write("\n")
    cmark_runs, copy_runs = [], []
    for index in range(runs):
        with open(os.path.join(folder, "bodies.html"), "w") as handle:
            cmark_runs.append(timed(["cmark", bodies], stdout=handle))
        # A new folder each run: deleting a tree right before writing one slows the copy here.
        copy_runs.append(timed(["cp", "-r", output, os.path.join(folder, "site-copy-%d" % index)]))
    result["cmark"] = summary(cmark_runs)
    result["cp"] = summary(copy_runs)
    result["floor_wall"] = result["cmark"]["wall"]["median"] + result["cp"]["wall"]["median"]
    return result


def run_folders(folder):
    """What a scale's runs write: removed only once the whole benchmark is over."""
    found = []
    for name in sorted(os.listdir(folder)):
        if re.fullmatch(r"(site-run|site-copy)-\d+|\.site-run-\d+\.dossier|site|\.site\.dossier", name):
            found.append(os.path.join(folder, name))
    hugo_dir = os.path.join(folder, "hugo")
    if os.path.isdir(hugo_dir):
        found += [os.path.join(hugo_dir, name) for name in sorted(os.listdir(hugo_dir)) if re.fullmatch(r"public(-run-\d+)?", name)]
    return found


def remove(folders):
    for path in folders:
        shutil.rmtree(path, ignore_errors=True)


def table(results):
    def cell(result, tool, key, unit):
        if tool not in result or key not in result[tool]:
            return "n/a"
        d = result[tool][key]
        if d["median"] < 1:
            return "%.3f (%.3f–%.3f)" % (d["median"], d["min"], d["max"])
        if unit == "MB":
            return "%.0f (%.0f–%.0f)" % (d["median"], d["min"], d["max"])
        if unit == "/s":
            return "%.0f" % d["median"]
        return "%.2f (%.2f–%.2f)" % (d["median"], d["min"], d["max"])

    # The rebuilds' ratios are held to 0.05: with three digits, 0.048 and 0.052 do not both print 0.05.
    def ratio(result, numerator, denominator, key="wall", digits=2):
        if numerator not in result or denominator not in result:
            return "n/a"
        return "%.*f" % (digits, result[numerator][key]["median"] / result[denominator][key]["median"])

    def paired(result, numerator, denominator, key="wall"):
        # Each dossier run over the Hugo run right after it: the machine's speed drifts by a
        # quarter within minutes here, and a pair shares the moment.
        if numerator not in result or denominator not in result:
            return "n/a"
        pairs = [a / b for a, b in zip(result[numerator][key]["runs"], result[denominator][key]["runs"])]
        return "%.2f (%.2f–%.2f)" % (statistics.median(pairs), min(pairs), max(pairs))

    header = ["", *["%s actions + %s actors" % (format(r["actions"], ","), format(r["actors"], ",")) for r in results]]
    rows = [
        ["runs (median of)", *[str(r["runs"]) for r in results]],
        ["pages / output files / MB", *["%s / %s / %.1f" % (format(r["pages"], ","), format(r["output_files"], ","), r["output_bytes"] / 1e6) for r in results]],
        ["**dossier full build, wall s**", *[cell(r, "dossier", "wall", "s") for r in results]],
        ["dossier user+sys s", *[cell(r, "dossier", "cpu", "s") for r in results]],
        ["dossier peak RSS MB", *[cell(r, "dossier", "rss_mb", "MB") for r in results]],
        ["dossier pages/s", *[cell(r, "dossier", "pages_per_s", "/s") for r in results]],
        ["dossier no-op rebuild, wall s", *[cell(r, "noop", "wall", "s") for r in results]],
        ["**no-op rebuild / full build**", *[ratio(r, "noop", "dossier", digits=3) for r in results]],
        ["dossier one-body-edit rebuild, wall s", *[cell(r, "edit", "wall", "s") for r in results]],
        ["one-body-edit rebuild user+sys s", *[cell(r, "edit", "cpu", "s") for r in results]],
        ["**one-edit rebuild / full build**", *[ratio(r, "edit", "dossier", digits=3) for r in results]],
        ["Hugo full build, wall s", *[cell(r, "hugo", "wall", "s") for r in results]],
        ["Hugo user+sys s", *[cell(r, "hugo", "cpu", "s") for r in results]],
        ["Hugo peak RSS MB", *[cell(r, "hugo", "rss_mb", "MB") for r in results]],
        ["**dossier / Hugo, wall**", *[ratio(r, "dossier", "hugo") for r in results]],
        ["dossier / Hugo, wall, median of the runs' pairs", *[paired(r, "dossier", "hugo") for r in results]],
        ["dossier / Hugo, peak RSS", *[ratio(r, "dossier", "hugo", "rss_mb") for r in results]],
        ["floor: cmark all bodies, wall s", *[cell(r, "cmark", "wall", "s") for r in results]],
        ["floor: cp -r output, wall s", *[cell(r, "cp", "wall", "s") for r in results]],
        ["**dossier / floor (cmark + cp), wall**", *["%.2f" % (r["dossier"]["wall"]["median"] / r["floor_wall"]) for r in results]],
        ["1-min load average before each run", *[" ".join("%.1f" % l for l in r["load"]) for r in results]],
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def main():
    scales = [int(s) for s in os.environ.get("BENCH_SCALES", "1000,10000").replace(" ", "").split(",") if s]
    if shutil.which("cmark") is None or not os.path.exists("/usr/bin/time"):
        raise SystemExit("make bench needs cmark and /usr/bin/time: apt-get install -y cmark time")
    use_hugo = shutil.which("hugo") is not None and os.environ.get("BENCH_HUGO", "1") != "0"
    if not use_hugo:
        log("hugo is not installed (apt-get install -y hugo) or BENCH_HUGO=0: its rows are left out")
    dossier = release_build()
    os.makedirs(WORK, exist_ok=True)
    leftovers = [path for actions in scales for path in run_folders(corpus(actions)[0])]
    removed_at = os.path.join(WORK, ".removed-at")
    if leftovers:
        log("removing %d folders an earlier benchmark left, then waiting %d s (see the top)" % (len(leftovers), SETTLE))
        remove(leftovers)
        subprocess.run(["sync"])
        time.sleep(SETTLE)
    elif os.path.exists(removed_at):
        # A benchmark that ended moments ago removed its folders: wait as after leftovers.
        wait = SETTLE - (time.time() - os.path.getmtime(removed_at))
        if wait > 0:
            log("the last benchmark removed its folders %.0f s ago: waiting %.0f s (see the top)" % (SETTLE - wait, wait))
            time.sleep(wait)
    results = []
    try:
        for actions in scales:
            runs = int(os.environ.get("BENCH_RUNS", "3" if actions >= 50000 else "5"))
            log("scale %d actions, %d runs" % (actions, runs))
            results.append(bench_scale(dossier, actions, runs, use_hugo))
    finally:
        log("removing the runs' folders")
        for actions in scales:
            remove(run_folders(corpus(actions)[0]))
        # A benchmark run right after this one waits for these inodes to stop counting as
        # recently deleted (see the top).
        subprocess.run(["sync"])
        with open(removed_at, "w"):
            pass
    with open(os.path.join(WORK, "results.json"), "w") as handle:
        json.dump(results, handle, indent=1)
    print("%d cores; %s" % (os.cpu_count(), time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())))
    print(table(results))


if __name__ == "__main__":
    main()
