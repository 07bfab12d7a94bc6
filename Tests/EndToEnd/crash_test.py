#!/usr/bin/env python3
"""Crash safety: `dossier build` killed with SIGKILL at many moments leaves the output folder
wholly the old site or wholly the new one, never a mix, and the next build clears what the
killed one left behind.

A generated briefing (../shared/bench/gen_corpus.py) is flipped between two versions of its
content; each build toward the other version is killed after a random delay, and the site is
compared file by file with the two complete sites. The change log (`changes/`, and its pages in
the sitemap) is left out of the comparison: it records history, so it depends on which builds
finished before. Then the same between two versions that differ in three bodies edited in place,
which a rebuild patches into the site (Build/BodyPatch.swift).

Usage: crash_test.py PATH/TO/dossier [KILLS]
"""
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
GENERATOR = os.path.join(os.path.dirname(REPO), "shared", "bench", "gen_corpus.py")


def snapshot(site):
    files = {}
    for folder, _, names in os.walk(site):
        for name in names:
            path = os.path.join(folder, name)
            relative = os.path.relpath(path, site)
            if relative.startswith("changes" + os.sep) or relative == "changes":
                continue
            with open(path, "rb") as handle:
                data = handle.read()
            # The sitemap lists the change log's year pages, which history decides too.
            if relative == "sitemap.xml":
                data = b"".join(line for line in data.splitlines(True) if b"/changes/" not in line)
            files[relative] = hashlib.sha256(data).hexdigest()
    return files


def build(dossier, root, check=True):
    result = subprocess.run([dossier, "build", "--root", root], capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(result.stderr)
    return result


def main():
    dossier = os.path.abspath(sys.argv[1])
    kills = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    rng = random.Random(7)
    work = tempfile.mkdtemp(prefix="dossier-crash-")
    passed = failed = 0
    try:
        root = os.path.join(work, "briefing")
        subprocess.run([sys.executable, GENERATOR, root, "--actions", "400", "--actors", "80", "--seed", "3"], check=True, stdout=subprocess.DEVNULL)
        content_a = os.path.join(work, "content-a")
        content_b = os.path.join(work, "content-b")
        shutil.copytree(os.path.join(root, "Content"), content_a)
        shutil.copytree(content_a, content_b)
        # Version B: edited bodies, and new files (which going back to A removes again).
        actions = sorted(os.listdir(os.path.join(content_b, "actions")))
        for name in actions[:40]:
            path = os.path.join(content_b, "actions", name)
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
            with open(path, "w", encoding="utf-8") as handle:
                handle.write(text.rstrip("\n") + "\n\nAn added closing paragraph.\n")
        for number, name in enumerate(actions[:5]):
            shutil.copy(os.path.join(content_b, "actions", name), os.path.join(content_b, "actions", f"added-{number}.md"))
        site = os.path.join(root, "Site")

        def use(version):
            shutil.rmtree(os.path.join(root, "Content"))
            shutil.copytree(content_a if version == "a" else content_b, os.path.join(root, "Content"))

        started = time.time()
        build(dossier, root)
        duration = time.time() - started
        expected = {"a": snapshot(site)}
        use("b")
        build(dossier, root)
        expected["b"] = snapshot(site)
        assert expected["a"] != expected["b"], "the two versions must give different sites"
        current = "b"
        seen = {"a": 0, "b": 0, "mixed": 0}
        for number in range(kills):
            target = "a" if current == "b" else "b"
            use(target)
            process = subprocess.Popen([dossier, "build", "--root", root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, duration * 1.2))
            process.send_signal(signal.SIGKILL)
            process.wait()
            now = snapshot(site)
            if now == expected[target]:
                current = target
                seen[target] += 1
            elif now == expected[current]:
                seen[current] += 1
            else:
                seen["mixed"] += 1
                differing = sorted(set(now.items()) ^ set(expected[target].items()))[:5]
                print(f"FAIL: kill {number}: the site is neither version: {differing}")
        if seen["mixed"] == 0:
            passed += 1
            print(f"ok: {kills} kills left the site whole every time (old {seen['a' if current == 'b' else 'b']}, new {seen[current]}, by final state)")
        else:
            failed += 1
        # The next build finishes the job and clears what killed builds left.
        build(dossier, root)
        work_folder = os.path.join(root, ".Site.dossier")
        leftovers = [name for name in os.listdir(root) if ".staging-" in name or ".old-" in name]
        leftovers += [name for name in os.listdir(work_folder) if name.startswith("trash-") or ".tmp-" in name]
        if not leftovers and snapshot(site) == expected[target]:
            passed += 1
            print("ok: the next build repairs leftovers and gives the complete site")
        else:
            failed += 1
            print(f"FAIL: leftovers {leftovers} or a wrong site after the repairing build")
        # And the builds after it, which bring the back folder a killed build touched up to date.
        for version in ("b" if target == "a" else "a", target):
            use(version)
            build(dossier, root)
            if snapshot(site) == expected[version]:
                passed += 1
                print(f"ok: an incremental build to version {version} after the kills gives exactly that site")
            else:
                failed += 1
                print(f"FAIL: the incremental build to version {version} after the kills differs")
        # Rebuilds that change only bodies patch the site in place (Build/BodyPatch.swift): the same
        # kills, between two versions that differ in three action bodies edited in place.
        current = target
        actions_dir = os.path.join(root, "Content", "actions")
        # Not among the first actions, which version b copies: a body shown twice is not patched.
        with_summary = [name for name in sorted(os.listdir(actions_dir))[50:]
                        if "\nsummary:" in open(os.path.join(actions_dir, name), encoding="utf-8").read()][:3]
        originals = {name: open(os.path.join(actions_dir, name), encoding="utf-8").read() for name in with_summary}

        def patch_version(version):
            for name, text in originals.items():
                with open(os.path.join(actions_dir, name), "w", encoding="utf-8") as handle:
                    handle.write(text if version == current else text.rstrip("\n") + "\n\nA paragraph only version " + version + " has.\n")

        # Files copied a moment ago are not trusted by their metadata yet (FileSignature): a build
        # after two seconds records them as trusted, and the rebuilds after it read only the edits.
        time.sleep(2.1)
        build(dossier, root)
        patch_expected = {current: snapshot(site)}
        other = "p" if current != "p" else "q"
        patch_version(other)
        report = subprocess.run([dossier, "build", "--root", root, "--timings"], capture_output=True, text=True, check=True).stdout
        patch_expected[other] = snapshot(site)
        if "\npatch " not in "\n" + report:
            failed += 1
            print("FAIL: a rebuild after three body edits was not patched: " + "".join(line for line in report.splitlines() if line.startswith("not patched")))
        at = other
        seen = {"old": 0, "new": 0, "mixed": 0}
        for number in range(kills):
            toward = current if at == other else other
            patch_version(toward)
            started = time.time()
            process = subprocess.Popen([dossier, "build", "--root", root], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0, 0.4))
            process.send_signal(signal.SIGKILL)
            process.wait()
            now = snapshot(site)
            if now == patch_expected[toward]:
                at = toward
                seen["new"] += 1
            elif now == patch_expected[at]:
                seen["old"] += 1
            else:
                seen["mixed"] += 1
                print(f"FAIL: patch kill {number}: the site is neither version")
        build(dossier, root)
        if seen["mixed"] == 0 and snapshot(site) == patch_expected[toward]:
            passed += 1
            print(f"ok: {kills} kills of patched rebuilds left the site whole every time (old {seen['old']}, new {seen['new']}), and the next build completes it")
        else:
            failed += 1
            print("FAIL: a killed patched rebuild left a mixed or wrong site")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"crash: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
