#!/usr/bin/env python3
"""The build-time pictures in real headless Chromium: screenshots of the relationship map on an
actor page and the monthly chart on the timeline of the sample briefing must not be blank; then a
new reader's path: from the map to another actor, on to an action, back again, the actor's feed
found through <link rel="alternate"> and read with feedparser, and the change log.

Usage: pictures_test.py PATH/TO/dossier
"""
import base64
import functools
import http.server
import os
import struct
import subprocess
import sys
import tempfile
import threading
import urllib.request
import zlib

import feedparser

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from chromium import Chromium  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def decode_png(data):
    """(width, height, rows of (r, g, b)) for the 8-bit, non-interlaced RGB/RGBA PNGs Chromium writes."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    offset, idat, width = 8, b"", None
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        chunk = data[offset + 8:offset + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", chunk)
            assert depth == 8 and color in (2, 6) and interlace == 0, f"unexpected PNG format {depth} {color} {interlace}"
            channels = 4 if color == 6 else 3
        elif kind == b"IDAT":
            idat += chunk
        offset += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    rows, previous, position = [], bytearray(stride), 0
    for _ in range(height):
        kind, line = raw[position], bytearray(raw[position + 1:position + 1 + stride])
        position += 1 + stride
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            upper_left = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - upper_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - upper_left)
                predictor = left if pa <= pb and pa <= pc else (up if pb <= pc else upper_left)
                line[i] = (line[i] + predictor) & 0xFF
        rows.append([tuple(line[i:i + 3]) for i in range(0, stride, channels)])
        previous = line
    return width, height, rows


def serve(folder):
    class QuietHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=folder))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def main():
    dossier = os.path.abspath(sys.argv[1])
    failures = []
    passed = 0

    def check(condition, what):
        nonlocal passed
        print(("ok: " if condition else "FAIL: ") + what)
        if condition:
            passed += 1
        else:
            failures.append(what)

    with tempfile.TemporaryDirectory(prefix="dossier-pictures-") as work:
        www = os.path.join(work, "www")
        result = subprocess.run([dossier, "build", "--output", os.path.join(www, "xinjiang")], cwd=REPO, capture_output=True, text=True)
        if result.returncode != 0:
            print(result.stderr)
            return 1
        server = serve(www)
        base = f"http://127.0.0.1:{server.server_address[1]}"
        browser = Chromium()
        try:
            browser.send("Emulation.setDeviceMetricsOverride", width=1000, height=900, deviceScaleFactor=1, mobile=False)

            def picture(selector, what):
                rect = browser.evaluate(f"""(() => {{ const e = document.querySelector({selector!r});
                    if (!e) return null; e.scrollIntoView(); const r = e.getBoundingClientRect();
                    return {{x: r.x + window.scrollX, y: r.y + window.scrollY, width: r.width, height: r.height}}; }})()""")
                check(rect is not None and rect["width"] > 100 and rect["height"] > 100, f"{what}: the picture has a size ({rect})")
                if not rect:
                    return
                shot = browser.send("Page.captureScreenshot", format="png", captureBeyondViewport=True,
                                    clip={"x": rect["x"], "y": rect["y"], "width": rect["width"], "height": rect["height"], "scale": 1})
                png = base64.b64decode(shot["data"])
                if os.environ.get("DOSSIER_SCREENSHOTS"):
                    with open(os.path.join(os.environ["DOSSIER_SCREENSHOTS"], selector.split()[0].strip(".") + ".png"), "wb") as handle:
                        handle.write(png)
                width, height, rows = decode_png(png)
                counts = {}
                for row in rows:
                    for pixel in row:
                        counts[pixel] = counts.get(pixel, 0) + 1
                background = max(counts, key=counts.get)
                drawn = sum(n for pixel, n in counts.items() if sum(abs(a - b) for a, b in zip(pixel, background)) > 60)
                share = drawn / (width * height)
                check(share > 0.01 and len(counts) > 8, f"{what}: {drawn} of {width}x{height} pixels differ from the background ({share:.1%}, {len(counts)} colours)")

            browser.navigate(f"{base}/xinjiang/actors/european-union/")
            picture(".relation-map svg", "relationship map on the European Union's page")
            nodes = browser.evaluate("[...document.querySelectorAll('.relation-map svg a')].map(a => a.getAttribute('href'))")
            check(len(nodes) >= 3 and all(n.startswith("/xinjiang/actors/") for n in nodes), f"every node of the map is a link to an actor ({len(nodes)} nodes)")

            browser.navigate(f"{base}/xinjiang/actions/")
            picture(".activity-chart svg", "actions per month on the timeline")

            browser.navigate(f"{base}/xinjiang/actions/china-counter-sanctions-eu/")
            picture(".response-chain svg", "chain of responses on China's counter-sanctions")
            links = browser.evaluate("document.querySelectorAll('.response-chain svg a').length")
            check(links >= 2, f"every action in the chain is a link ({links})")

            # A new reader: from the map to an actor, to an action, and back.
            browser.navigate(f"{base}/xinjiang/actors/european-union/")
            target = browser.evaluate("""(() => { const a = document.querySelector('.relation-map svg a');
                a.dispatchEvent(new MouseEvent('click', {bubbles: true, cancelable: true, view: window}));
                return a.getAttribute('href'); })()""")
            browser.wait_for(lambda: browser.evaluate("location.pathname") == target and browser.evaluate("document.readyState") == "complete", "the click on a map node")
            check(target != "/xinjiang/actors/european-union/", f"clicking the first node of the map opens {target}")
            action = browser.evaluate("document.querySelector('.action-list .action-title a').getAttribute('href')")
            browser.navigate(base + action)
            check(browser.evaluate("document.querySelector('h1').textContent.length > 0"), f"the actor's first action opens: {action}")
            browser.send("Page.navigateToHistoryEntry", entryId=browser.send("Page.getNavigationHistory")["entries"][-2]["id"])
            browser.wait_for(lambda: browser.evaluate("location.pathname") == target, "going back")
            check(True, f"the back button returns to {target}")

            feed_url = browser.evaluate("document.querySelector('link[rel=alternate][type=\"application/atom+xml\"][href*=\"/actors/\"]').getAttribute('href')")
            feed = feedparser.parse(urllib.request.urlopen(base + feed_url).read())
            check(not feed.bozo and feed.version == "atom10" and len(feed.entries) > 0, f"the actor's feed {feed_url} is Atom with {len(feed.entries)} entries")

            browser.navigate(f"{base}/xinjiang/changes/")
            entries = browser.evaluate("document.querySelectorAll('.change-list li').length")
            check(entries > 0, f"the change log lists {entries} changes")
        finally:
            browser.close()
            server.shutdown()
    print(f"{passed} passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
