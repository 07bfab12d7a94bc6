#!/usr/bin/env python3
"""`dossier serve` as an author uses it: the real binary on an ephemeral loopback port, real
files edited on disk, a real HTTP client and, at the end, a page open in headless Chromium that
reloads by itself.

Usage: serve_test.py PATH/TO/dossier
"""
import concurrent.futures
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

SITE_YML = "title: Preview test\nbase_url: https://example.org/brief/\n"
ACTOR = "---\nname: European Union\ntype: organization\n---\nThe EU, version one.\n"
ACTION = "---\ntitle: EU sanctions\ndate: 2021-03-22\ntype: sanction\nby: eu\n---\nListed by [[eu]].\n"


def write(root, path, text):
    full = os.path.join(root, path)
    os.makedirs(os.path.dirname(full), exist_ok=True)
    # Write then rename, as editors do, so the server never reads half a file.
    with open(full + ".tmp~", "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(full + ".tmp~", full)


class Server:
    def __init__(self, dossier, root, port=0):
        self.process = subprocess.Popen([dossier, "serve", "--root", root, "--port", str(port)],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        self.stderr_lines = []
        threading.Thread(target=self._drain_stderr, daemon=True).start()
        line = self.process.stdout.readline()
        if not line.startswith("Serving at http://"):
            raise RuntimeError(f"no URL printed: {line!r} {self.stderr_lines}")
        self.url = line.split()[2]
        hostport = self.url.split("/")[2]
        self.host, self.port = hostport.rsplit(":", 1)
        self.port = int(self.port)

    def _drain_stderr(self):
        for line in self.process.stderr:
            self.stderr_lines.append(line.rstrip("\n"))

    def request(self, path, method="GET", headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=10)
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, dict((k.lower(), v) for k, v in response.getheaders()), body

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        return self.process.returncode


def wait_until(condition, what, timeout=5.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if condition():
            return time.time()
        time.sleep(0.02)
    raise AssertionError(f"timed out waiting for {what}")


def main():
    dossier = os.path.abspath(sys.argv[1])
    work = tempfile.mkdtemp(prefix="dossier-serve-")
    root = os.path.join(work, "briefing")
    write(root, "Content/site.yml", SITE_YML)
    write(root, "Content/actors/eu.md", ACTOR)
    write(root, "Content/actions/eu-sanctions.md", ACTION)
    outside = os.path.join(work, "secret.txt")
    with open(outside, "w") as handle:
        handle.write("SECRET")

    server = Server(dossier, root)
    tests = []

    def test(function):
        tests.append(function)
        return function

    @test
    def binds_to_loopback_and_prints_the_url_with_the_base_path():
        assert server.host == "127.0.0.1", server.url
        assert server.url.endswith("/brief/"), server.url

    @test
    def serves_pages_with_types_and_charset():
        status, headers, body = server.request("/brief/actors/eu/")
        assert status == 200, status
        assert headers["content-type"] == "text/html; charset=utf-8", headers
        assert b"The EU, version one." in body
        assert b'<script src="/__dossier/live.js"></script>' in body, "the reload script is injected"
        for path, kind in [("/brief/assets/style.css", "text/css"), ("/brief/search-index.json", "application/json"),
                           ("/brief/feed.xml", "application/atom+xml"), ("/brief/assets/search.js", "text/javascript")]:
            status, headers, _ = server.request(path)
            assert status == 200 and headers["content-type"].startswith(kind), (path, status, headers)

    @test
    def the_built_site_has_no_reload_script():
        build = subprocess.run([dossier, "build", "--root", root, "--output", os.path.join(work, "built")], capture_output=True, text=True)
        assert build.returncode == 0, build.stderr
        for folder, _, names in os.walk(os.path.join(work, "built")):
            for name in names:
                with open(os.path.join(folder, name), "rb") as handle:
                    assert b"__dossier" not in handle.read(), name

    @test
    def missing_pages_get_the_404_page_with_status_404():
        status, headers, body = server.request("/brief/actors/nobody/")
        assert status == 404, status
        assert headers["content-type"].startswith("text/html") and b"<html" in body
        status, _, _ = server.request("/elsewhere/")
        assert status == 404, status

    @test
    def folders_without_a_slash_and_the_root_redirect():
        status, headers, _ = server.request("/brief/actors/eu")
        assert status == 301 and headers["location"] == "/brief/actors/eu/", (status, headers)
        status, headers, _ = server.request("/brief/actions?x=1")
        assert status == 301 and headers["location"] == "/brief/actions/?x=1", (status, headers)
        status, headers, _ = server.request("/")
        assert status == 301 and headers["location"] == "/brief/", (status, headers)

    @test
    def head_and_conditional_get():
        status, headers, body = server.request("/brief/", method="HEAD")
        assert status == 200 and body == b"" and int(headers["content-length"]) > 0, (status, headers)
        etag = headers["etag"]
        status, _, body = server.request("/brief/", headers={"If-None-Match": etag})
        assert status == 304 and body == b"", status
        status, _, _ = server.request("/brief/", headers={"If-None-Match": '"other"'})
        assert status == 200

    @test
    def every_traversal_form_is_refused():
        forms = ["/brief/../secret.txt", "/brief/%2e%2e/secret.txt", "/brief/%2E%2E%2Fsecret.txt", "/brief/..%2f..%2fsecret.txt",
                 "/brief/%252e%252e/secret.txt", "/brief/%252e%252e%252fsecret.txt", "/brief/actors/..%5c..%5csecret.txt",
                 "/brief/%00/index.html", "/brief/index.html%00.css", "/brief/%c0%ae%c0%ae/secret.txt", "//etc/passwd",
                 "/brief//etc/passwd", "/brief/" + "../" * 8 + "etc/passwd", "http://example.org/etc/passwd"]
        for form in forms:
            status, _, body = server.request(form)
            assert status in (400, 403, 404), (form, status)
            assert b"SECRET" not in body and b"root:" not in body, form

    @test
    def other_methods_are_refused():
        status, headers, _ = server.request("/brief/", method="POST")
        assert status == 405 and "GET" in headers.get("allow", ""), status

    @test
    def an_edit_is_served_within_a_second_and_the_reload_event_arrives():
        connection = socket.create_connection((server.host, server.port), timeout=10)
        connection.sendall(b"GET /__dossier/events HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\n\r\n")
        received = []

        def read_events():
            try:
                while True:
                    data = connection.recv(4096)
                    if not data:
                        return
                    received.append(data)
            except OSError:
                return

        threading.Thread(target=read_events, daemon=True).start()
        wait_until(lambda: b"event: build" in b"".join(received), "the current build id")
        first_count = b"".join(received).count(b"event: build")
        started = time.time()
        write(root, "Content/actors/eu.md", ACTOR.replace("version one", "version two"))
        served = wait_until(lambda: b"version two" in server.request("/brief/actors/eu/")[2], "the edit to be served")
        assert served - started < 1.0, f"took {served - started:.2f} s"
        wait_until(lambda: b"".join(received).count(b"event: build") > first_count, "the reload event")
        connection.close()

    @test
    def a_burst_of_saves_is_one_rebuild():
        before = sum(1 for line in server.stderr_lines if line.startswith("Built "))
        for number in range(10):
            write(root, "Content/actors/eu.md", ACTOR.replace("version one", f"burst {number}"))
        wait_until(lambda: b"burst 9" in server.request("/brief/actors/eu/")[2], "the last save")
        time.sleep(0.5)
        after = sum(1 for line in server.stderr_lines if line.startswith("Built "))
        assert after - before <= 2, f"{after - before} rebuilds for one burst"

    @test
    def an_error_shows_on_the_page_and_clears_on_the_fix():
        write(root, "Content/actions/eu-sanctions.md", ACTION.replace("by: eu", "by: eux").replace("Listed", "<b>Listed</b>"))
        wait_until(lambda: b"dossier-build-errors" in server.request("/brief/actions/eu-sanctions/")[2], "the error panel")
        status, _, body = server.request("/brief/actions/eu-sanctions/")
        assert status == 200, "the last good page is still served"
        assert b"Content/actions/eu-sanctions.md:5:5: error: unknown actor &#39;eux&#39; in &#39;by&#39;" in body, body[:2000]
        assert any("unknown actor 'eux'" in line for line in server.stderr_lines), "the terminal shows it too"
        write(root, "Content/actions/eu-sanctions.md", ACTION)
        wait_until(lambda: b"dossier-build-errors" not in server.request("/brief/actions/eu-sanctions/")[2], "the fix to clear it")

    @test
    def two_hundred_concurrent_requests_are_all_served():
        paths = ["/brief/", "/brief/actors/eu/", "/brief/assets/style.css", "/brief/search-index.json", "/brief/nothing/"]

        def fetch(number):
            status, _, body = server.request(paths[number % len(paths)])
            return status, len(body)

        with concurrent.futures.ThreadPoolExecutor(max_workers=200) as pool:
            results = list(pool.map(fetch, range(200)))
        statuses = [status for status, _ in results]
        assert statuses.count(404) == 40 and statuses.count(200) == 160, statuses

    @test
    def a_port_in_use_is_a_clear_error():
        result = subprocess.run([dossier, "serve", "--root", root, "--port", str(server.port)], capture_output=True, text=True, timeout=60)
        assert result.returncode == 1, result.returncode
        assert f"cannot listen on 127.0.0.1:{server.port}: the port is in use" in result.stderr, result.stderr

    @test
    def the_open_page_reloads_in_chromium():
        from chromium import Chromium
        browser = Chromium()
        try:
            browser.navigate(server.url + "actors/eu/")
            wait_until(lambda: "version" in browser.evaluate("document.querySelector('main').textContent") or "burst" in browser.evaluate("document.querySelector('main').textContent"), "the page")
            browser.evaluate("window.__notReloaded = true")
            time.sleep(0.5)  # let the page's EventSource connect
            write(root, "Content/actors/eu.md", ACTOR.replace("The EU, version one.", "Changed while open in the browser."))
            wait_until(lambda: "Changed while open in the browser." in (browser.evaluate("document.querySelector('main') && document.querySelector('main').textContent") or ""),
                       "the open page to show the edit", timeout=10)
            assert browser.evaluate("window.__notReloaded === undefined"), "the page reloaded itself"
        finally:
            browser.close()

    def raw(data, timeout=10):
        """Sends raw bytes; returns what came back before the server closed or went quiet."""
        connection = socket.create_connection((server.host, server.port), timeout=timeout)
        try:
            connection.sendall(data)
            received = b""
            while True:
                chunk = connection.recv(65536)
                if not chunk:
                    return received
                received += chunk
                if b"\r\n\r\n" in received:
                    return received
        except OSError:
            return b""
        finally:
            connection.close()

    def still_serves():
        status, _, body = server.request("/brief/actors/eu/")
        assert status == 200 and b"European Union" in body, status

    @test
    def malformed_requests_do_not_stop_it():
        for data in [b"\x00\x01\x02garbage\r\n\r\n", b"GET\r\n\r\n", b"FOO / HTTP/9.9\r\n\r\n",
                     b"GET /brief/ HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
                     b"GET /brief/ HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", b"\r\n" * 1000]:
            raw(data, timeout=3)
            still_serves()

    @test
    def slow_clients_do_not_hold_up_others():
        slow = []
        for _ in range(50):
            connection = socket.create_connection((server.host, server.port), timeout=10)
            connection.sendall(b"GET /brief/ HTTP/1.1\r\nHost: x\r\nX-Slow: ")
            slow.append(connection)
        started = time.time()
        for _ in range(10):
            still_serves()
        assert time.time() - started < 5, "50 slow clients held up others"
        for connection in slow:
            connection.close()

    @test
    def a_thousand_concurrent_connections_are_served():
        import resource
        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))

        def fetch(number):
            connection = socket.create_connection((server.host, server.port), timeout=60)
            try:
                connection.sendall(b"GET /brief/assets/style.css HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                received = b""
                while True:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    received += chunk
                return received.split(b"\r\n", 1)[0]
            finally:
                connection.close()

        with concurrent.futures.ThreadPoolExecutor(max_workers=1000) as pool:
            lines = list(pool.map(fetch, range(1000)))
        assert lines.count(b"HTTP/1.1 200 OK") == 1000, {line: lines.count(line) for line in set(lines)}
        still_serves()

    @test
    def oversized_headers_and_urls_do_not_stop_it():
        results = {}

        def send(name, data):
            results[name] = raw(data, timeout=20)

        threads = [threading.Thread(target=send, args=("header", b"GET /brief/ HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 1_000_000 + b"\r\n\r\n")),
                   threading.Thread(target=send, args=("url", b"GET /brief/" + b"a" * 1_000_000 + b" HTTP/1.1\r\nHost: x\r\n\r\n"))]
        for thread in threads:
            thread.start()
        time.sleep(0.2)
        started = time.time()
        still_serves()
        assert time.time() - started < 5, "a huge request held up others"
        for thread in threads:
            thread.join(30)
        assert results.get("header", b"").startswith(b"HTTP/1.1 400"), results.get("header", b"")[:60]
        assert results.get("url", b"").startswith(b"HTTP/1.1 4"), results.get("url", b"")[:60]
        still_serves()

    @test
    def ctrl_c_stops_cleanly():
        code = server.stop()
        assert code == 0, code
        try:
            socket.create_connection((server.host, server.port), timeout=1).close()
            raise AssertionError("still listening")
        except OSError:
            pass

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
        server.stop()
        shutil.rmtree(work, ignore_errors=True)
    print(f"serve: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
