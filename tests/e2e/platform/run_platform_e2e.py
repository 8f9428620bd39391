#!/usr/bin/env python3
"""End-to-end tests of `bantam up`: real server processes on 127.0.0.1 (a free port, read from
the "Serving http://..." line), real clients (http.client, curl, wrk), stopped by PID.

  run_platform_e2e.py --list
  run_platform_e2e.py --bantam BANTAM --harness HARNESS --guests DIR CASE

Cases that need options `bantam up` does not have (a short request timeout, a small memory
limit, the admin address) run tests/e2e/platform/serve_harness.cpp, which sets every
ServeOptions field. Exit 0 pass, 1 fail, 77 skip (a guest or a tool is missing).
"""
import argparse
import concurrent.futures
import hashlib
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


class Skip(Exception):
    pass


class Server:
    """A server process: started on 127.0.0.1:0, its port read from its banner."""

    def __init__(self, argv, cwd):
        self.proc = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     text=True, start_new_session=True)
        self.port = None
        self.admin_port = None
        # One thread reads stdout from the start (so that the process never blocks on a full
        # pipe); the banner is what it printed up to the end of its route list.
        self.stdout_lines = []
        self.cond = threading.Condition()
        self.stdout_closed = False
        self.reader = threading.Thread(target=self._drain, daemon=True)
        self.reader.start()
        self.stderr_lines = []
        self.err_reader = threading.Thread(target=self._drain_err, daemon=True)
        self.err_reader.start()
        with self.cond:
            self.cond.wait_for(lambda: self.stdout_closed or "Available Routes:\n" in self.stdout_lines, timeout=60)
            # The route lines ("  id: url", "    description") follow in the same write; the
            # banner ends at the first other line, or when nothing more comes.
            routes_at = self.stdout_lines.index("Available Routes:\n") + 1 if "Available Routes:\n" in self.stdout_lines else None

            def banner_done():
                if self.stdout_closed or routes_at is None:
                    return True
                return any(not l.startswith("  ") for l in self.stdout_lines[routes_at:])

            self.cond.wait_for(banner_done, timeout=0.5)
            self.banner = list(self.stdout_lines)
        for line in self.banner:
            m = re.match(r"Serving http://127\.0\.0\.1:(\d+)", line)
            if m:
                self.port = int(m.group(1))
            m = re.match(r"Metrics: http://127\.0\.0\.1:(\d+)/metrics", line)
            if m:
                self.admin_port = int(m.group(1))
        if self.port is None:
            self.proc.kill()
            self.proc.wait()
            self.reader.join(5)
            self.err_reader.join(5)
            raise AssertionError("server did not start:\n" + "".join(self.stdout_lines) + "".join(self.stderr_lines))

    def _drain(self):
        for line in self.proc.stdout:
            with self.cond:
                self.stdout_lines.append(line)
                m = re.match(r"Metrics: http://127\.0\.0\.1:(\d+)/metrics", line)
                if m:
                    self.admin_port = int(m.group(1))
                self.cond.notify_all()
        with self.cond:
            self.stdout_closed = True
            self.cond.notify_all()

    def _drain_err(self):
        for line in self.proc.stderr:
            self.stderr_lines.append(line)

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            os.kill(self.proc.pid, sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
            raise AssertionError("server did not stop after signal %d" % sig)


def request(port, method, path, body=None, headers=None, timeout=30):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    result = (r.status, {k.lower(): v for k, v in r.getheaders()}, data)
    conn.close()
    return result


def check(cond, message):
    if not cond:
        raise AssertionError(message)


class Env:
    def __init__(self, args):
        self.args = args
        self.dir = tempfile.mkdtemp(prefix="bantam-platform-e2e-")
        for g in ("hello", "probe"):
            src = os.path.join(args.guests, g + ".wasm")
            if not os.path.exists(src):
                raise Skip(f"guest {src} was not built (no clang-19/wasi-libc)")
            shutil.copy(src, os.path.join(self.dir, g + ".wasm"))
        with open(os.path.join(self.dir, "data.txt"), "w") as f:
            f.write("static file contents\n")
        with open(os.path.join(self.dir, "spin.toml"), "w") as f:
            f.write("""spin_manifest_version = 2

[application]
name = "e2e-app"
version = "0.1.0"

[[trigger.http]]
route = "/hello"
component = "hello"
executor = { type = "wagi" }

[[trigger.http]]
route = "/probe/..."
component = "probe"
executor = { type = "wagi" }

[component.hello]
source = "hello.wasm"
description = "says hello"

[component.probe]
source = "probe.wasm"
files = ["data.txt"]
environment = { GREETING = "hi from the manifest" }
""")
        self.servers = []

    def engine_args(self):
        return ["--engine", self.args.engine] if self.args.engine else []

    def up(self, *extra):
        """The real CLI: bantam up."""
        s = Server([self.args.bantam, "up", "-f", self.dir, "--listen", "127.0.0.1:0", *self.engine_args(), *extra],
                   self.dir)
        self.servers.append(s)
        return s

    def harness(self, *extra):
        s = Server([self.args.harness, self.dir, "--listen", "127.0.0.1:0", *self.engine_args(), *extra], self.dir)
        self.servers.append(s)
        return s

    def close(self):
        for s in self.servers:
            if s.proc.poll() is None:
                os.kill(s.proc.pid, signal.SIGKILL)
                s.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


@case
def banner_lists_the_routes(env):
    s = env.up("--quiet")
    text = "".join(s.banner)
    check(f"Serving http://127.0.0.1:{s.port}\nAvailable Routes:\n" in text, text)
    check(f"  hello: http://127.0.0.1:{s.port}/hello\n" in text, text)
    check(f"  probe: http://127.0.0.1:{s.port}/probe (wildcard)\n" in text, text)
    status, headers, body = request(s.port, "GET", "/hello")
    check(status == 200 and body == b"Hello, Fermyon!\n", (status, body))
    check(headers.get("content-type") == "text/plain", headers)
    check(s.stop() == 0, "exit status after SIGTERM")


@case
def headers_in_and_out(env):
    s = env.harness("--quiet")
    status, _, body = request(s.port, "GET", "/probe/env?a=1&b=2", headers={"X-Test-Header": "value 1"})
    text = body.decode()
    check(status == 200, status)
    for line in ["ARG0=/probe/env", "ARG1=a=1", "ARG2=b=2", "HTTP_X_TEST_HEADER=value 1", "REQUEST_METHOD=GET",
                 "QUERY_STRING=a=1&b=2", "PATH_INFO=/env", "SCRIPT_NAME=/probe", "X_MATCHED_ROUTE=/probe/...",
                 "X_COMPONENT_ROUTE=/probe", "SERVER_NAME=127.0.0.1", f"SERVER_PORT={s.port}",
                 "GREETING=hi from the manifest", "GATEWAY_INTERFACE=CGI/1.1"]:
        check(line + "\n" in text, f"missing {line!r} in:\n{text}")
    status, headers, body = request(s.port, "GET", "/probe/headers")
    check(status == 200, status)
    check(headers.get("content-type") == "text/html", headers)
    check(headers.get("x-custom") == "one" and headers.get("x-other") == "two", headers)
    check(body == b"<p>hi</p>\n", body)


@case
def status_and_redirects(env):
    s = env.harness("--quiet")
    status, _, body = request(s.port, "GET", "/probe/status/418")
    check(status == 418 and body == b"status 418\n", (status, body))
    status, headers, _ = request(s.port, "GET", "/probe/redirect")
    check(status == 302 and headers.get("location") == "/elsewhere", (status, headers))
    status, _, _ = request(s.port, "GET", "/nowhere")
    check(status == 404, status)
    status, _, body = request(s.port, "GET", "/probe/noheaders")
    check(status == 500, (status, body))
    status, _, _ = request(s.port, "GET", "/probe/silent")
    check(status == 500, status)
    status, _, _ = request(s.port, "GET", "/probe/exit/3")
    check(status == 500, status)
    status, _, body = request(s.port, "GET", "/probe/exit/0")
    check(status == 200 and body == b"exiting\n", (status, body))
    # 204 and 304 have no body (the guest's is dropped), and a 204 no Content-Length.
    status, headers, body = request(s.port, "GET", "/probe/status/204")
    check(status == 204 and body == b"" and "content-length" not in headers, (status, headers, body))
    status, headers, body = request(s.port, "GET", "/probe/status/304")
    check(status == 304 and body == b"", (status, headers, body))
    # An interim status is not a response.
    status, _, _ = request(s.port, "GET", "/probe/status/101")
    check(status == 502, status)
    # HEAD: the length of the body that is not sent; the connection stays usable.
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
    conn.request("HEAD", "/hello")
    r = conn.getresponse()
    check(r.status == 200 and r.getheader("content-length") == "16" and r.read() == b"", r.getheaders())
    conn.request("GET", "/hello")
    r = conn.getresponse()
    check(r.status == 200 and r.read() == b"Hello, Fermyon!\n", r.status)
    conn.close()


@case
def bodies_empty_large_and_chunked(env):
    s = env.harness("--quiet")
    status, _, body = request(s.port, "POST", "/probe/echo", body=b"")
    check(status == 200 and body == b"", (status, len(body)))
    big = os.urandom(1 << 20)
    status, _, body = request(s.port, "POST", "/probe/echo", body=big)
    check(status == 200 and hashlib.sha256(body).digest() == hashlib.sha256(big).digest(), (status, len(body)))
    # A chunked request body, with curl (and its "Expect: 100-continue").
    path = os.path.join(env.dir, "upload.bin")
    with open(path, "wb") as f:
        f.write(big)
    out = subprocess.run(["curl", "-s", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + path,
                          s.url("/probe/echo")], capture_output=True, timeout=30).stdout
    check(out == big, f"chunked upload echoed {len(out)} bytes")
    # A chunked response.
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
    conn.request("GET", "/probe/chunked")
    r = conn.getresponse()
    data = r.read()
    check(r.getheader("transfer-encoding") == "chunked", r.getheaders())
    check(data.decode().splitlines() == [f"line {i}" for i in range(1000)], data[:100])


@case
def hundred_concurrent_requests(env):
    s = env.harness("--quiet")

    def one(i):
        path = "/hello" if i % 2 else f"/probe/status/{200 + i % 7}"
        status, _, body = request(s.port, "GET", path)
        return path, status, body

    with concurrent.futures.ThreadPoolExecutor(max_workers=100) as pool:
        results = list(pool.map(one, range(100)))
    for path, status, body in results:
        expected = 200 if path == "/hello" else int(path.rsplit("/", 1)[1])
        check(status == expected, (path, status, body))


@case
def trap_next_to_a_healthy_component(env):
    s = env.harness("--quiet", "--admin-listen", "127.0.0.1:0")
    status, _, _ = request(s.port, "GET", "/probe/trap")
    check(status == 500, status)
    status, _, body = request(s.port, "GET", "/hello")
    check(status == 200 and body == b"Hello, Fermyon!\n", (status, body))
    status, _, _ = request(s.port, "GET", "/probe/trap")
    status, _, body = request(s.port, "GET", "/probe/state")
    check(status == 200 and body == b"counter=1 cell=1\n", body)
    time.sleep(0.2)
    _, _, metrics = request(s.admin_port, "GET", "/metrics")
    metrics = metrics.decode()
    check('bantam_traps_total{component="probe"} 2' in metrics, metrics)
    check('bantam_http_requests_total{component="probe",status="500"} 2' in metrics, metrics)
    check('bantam_http_requests_total{component="hello",status="200"} 1' in metrics, metrics)


@case
def infinite_loop_is_cut_by_the_timeout(env):
    s = env.harness("--quiet", "--request-timeout", "500", "--admin-listen", "127.0.0.1:0")
    results = {}

    def loop():
        t = time.time()
        results["loop"] = (request(s.port, "GET", "/probe/loop")[0], time.time() - t)

    threads = [threading.Thread(target=loop) for _ in range(2)]
    for t in threads:
        t.start()
    time.sleep(0.1)
    # While two guests spin, others are answered promptly.
    served = []
    for _ in range(20):
        t = time.time()
        status, _, _ = request(s.port, "GET", "/hello")
        served.append((status, time.time() - t))
    for t in threads:
        t.join()
    status, elapsed = results["loop"]
    check(status == 504, status)
    check(0.4 < elapsed < 5, f"the loop was cut after {elapsed:.2f}s (timeout 0.5 s)")
    check(all(st == 200 for st, _ in served), served)
    check(max(d for _, d in served) < 0.4, f"slowest hello during the loops: {max(d for _, d in served):.3f}s")
    _, _, metrics = request(s.admin_port, "GET", "/metrics")
    check('bantam_timeouts_total{component="probe"} 2' in metrics.decode(), metrics.decode())


@case
def sleeping_guest_does_not_block_its_loop(env):
    # One event loop, and more sleeping guests than the old worker pool had threads: each guest
    # suspends its fiber while it sleeps, and the loop answers others meanwhile.
    s = env.harness("--quiet", "--threads", "1")
    results = []

    def sleeper():
        t = time.time()
        status, _, body = request(s.port, "GET", "/probe/sleep/1000")
        results.append((status, body, time.time() - t))

    threads = [threading.Thread(target=sleeper) for _ in range(8)]
    for t in threads:
        t.start()
    time.sleep(0.2)
    served = []
    for _ in range(20):
        t = time.time()
        status, _, body = request(s.port, "GET", "/hello")
        served.append((status, body, time.time() - t))
    for t in threads:
        t.join()
    check(all(st == 200 and b == b"Hello, Fermyon!\n" for st, b, _ in served), served)
    check(max(d for _, _, d in served) < 0.3, f"slowest hello while 8 guests slept: {max(d for _, _, d in served):.3f}s")
    check(len(results) == 8 and all(st == 200 and b == b"slept 1000 ms\n" for st, b, _ in results), results)
    check(all(0.9 < d < 3 for _, _, d in results), [d for _, _, d in results])


@case
def spinning_guest_is_preempted_on_its_loop(env):
    # One event loop: a guest in an endless loop yields it at every preemption slice until its
    # timeout cuts it, so requests on the same loop are answered meanwhile.
    s = env.harness("--quiet", "--threads", "1", "--request-timeout", "800")
    results = []

    def loop():
        results.append(request(s.port, "GET", "/probe/loop")[0])

    spinner = threading.Thread(target=loop)
    spinner.start()
    time.sleep(0.15)
    served = []
    for _ in range(10):
        t = time.time()
        status, _, _ = request(s.port, "GET", "/hello")
        served.append((status, time.time() - t))
    spinner.join()
    check(results == [504], results)
    check(all(st == 200 for st, _ in served), served)
    check(max(d for _, d in served) < 0.3, f"slowest hello while a guest spun: {max(d for _, d in served):.3f}s")


@case
def memory_bomb_is_stopped_by_the_limit(env):
    s = env.harness("--quiet", "--max-memory", str(32 << 20))
    t = time.time()
    status, _, _ = request(s.port, "GET", "/probe/bomb")
    check(status == 500, status)
    check(time.time() - t < 10, "the bomb took too long")
    status, _, body = request(s.port, "GET", "/hello")
    check(status == 200, status)
    with open(os.path.join(env.dir, ".spin", "logs", "probe_stderr.txt")) as f:
        log = f.read()
    m = re.search(r"out of memory after (\d+) MiB", log)
    check(m and int(m.group(1)) < 32, log)


@case
def port_in_use_is_a_startup_error(env):
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    port = blocker.getsockname()[1]
    try:
        p = subprocess.run([env.args.bantam, "up", "-f", env.dir, "--listen", f"127.0.0.1:{port}"],
                           capture_output=True, text=True, timeout=30)
        check(p.returncode == 1, (p.returncode, p.stdout, p.stderr))
        check("address" in p.stderr.lower() and "in use" in p.stderr.lower(), p.stderr)
        check("Serving" not in p.stdout, p.stdout)
    finally:
        blocker.close()


@case
def sigterm_lets_requests_in_flight_finish(env):
    s = env.up("--quiet")
    results = []

    def slow():
        results.append(request(s.port, "GET", "/probe/sleep/1000"))

    threads = [threading.Thread(target=slow) for _ in range(5)]
    for t in threads:
        t.start()
    time.sleep(0.4)
    os.kill(s.proc.pid, signal.SIGTERM)
    time.sleep(0.2)
    refused = False
    try:
        request(s.port, "GET", "/hello", timeout=2)
    except OSError:
        refused = True
    for t in threads:
        t.join()
    code = s.proc.wait(timeout=10)
    check(code == 0, f"exit status {code}")
    check(len(results) == 5 and all(st == 200 and b == b"slept 1000 ms\n" for st, _, b in results), results)
    check(refused, "a new connection was accepted during the drain")


@case
def body_and_header_limits(env):
    s = env.harness("--quiet", "--max-body", "1024")
    status, _, _ = request(s.port, "POST", "/probe/echo", body=b"x" * 1024)
    check(status == 200, status)
    status, _, _ = request(s.port, "POST", "/probe/echo", body=b"x" * 2048)
    check(status == 413, status)
    status, _, _ = request(s.port, "GET", "/hello", headers={"X-Big": "y" * (70 * 1024)})
    check(status == 431, status)
    status, _, _ = request(s.port, "GET", "/hello")
    check(status == 200, status)


@case
def files_are_read_only_and_private(env):
    s = env.harness("--quiet")
    status, _, body = request(s.port, "GET", "/probe/file/data.txt")
    check(status == 200 and body == b"static file contents\nwritable=no\n", (status, body))
    status, _, _ = request(s.port, "GET", "/probe/file/spin.toml")
    check(status == 404, "the app folder is not visible")


@case
def no_state_between_requests(env):
    s = env.harness("--quiet")
    for _ in range(5):
        status, _, body = request(s.port, "GET", "/probe/state")
        check(status == 200 and body == b"counter=1 cell=1\n", body)


@case
def health_info_and_metrics(env):
    s = env.harness("--quiet", "--admin-listen", "127.0.0.1:0")
    status, _, body = request(s.port, "GET", "/.well-known/spin/health")
    check(status == 200 and body == b"OK", (status, body))
    status, headers, body = request(s.port, "GET", "/.well-known/spin/info")
    check(status == 200 and b'"name":"e2e-app"' in body and b'"version":"0.1.0"' in body, body)
    request(s.port, "GET", "/hello")
    status, headers, body = request(s.admin_port, "GET", "/metrics")
    text = body.decode()
    check(status == 200 and headers["content-type"].startswith("text/plain; version=0.0.4"), headers)
    for needle in ['bantam_http_requests_total{component="hello",status="200"} 1',
                   'bantam_http_request_duration_seconds_bucket{component="hello",le="+Inf"} 1',
                   'bantam_instantiation_seconds_count{component="hello"} 1',
                   "bantam_http_requests_in_flight 0", "# TYPE bantam_http_request_duration_seconds histogram"]:
        check(needle in text, f"missing {needle!r}:\n{text}")
    status, _, body = request(s.admin_port, "GET", "/.well-known/spin/health")
    check(status == 200, status)


@case
def logs_and_access_log(env):
    s = env.up()  # followed: component stderr also on the console
    request(s.port, "GET", "/probe/stderr", headers={"User-Agent": "e2e-agent", "Referer": "http://r/"})
    request(s.port, "GET", "/hello")
    check(s.stop() == 0, "exit status")
    logs = os.path.join(env.dir, ".spin", "logs")
    with open(os.path.join(logs, "probe_stderr.txt")) as f:
        check("probe: a line on stderr\n" in f.read(), "stderr log")
    check(os.path.exists(os.path.join(logs, "hello_stdout.txt")), "stdout log exists")
    check(any("probe: a line on stderr" in l for l in s.stderr_lines), s.stderr_lines)
    with open(os.path.join(logs, "access.log")) as f:
        lines = f.read().splitlines()
    check(len(lines) == 2, lines)
    pattern = (r'^127\.0\.0\.1 - - \[\d\d/\w\w\w/\d{4}:\d\d:\d\d:\d\d \+0000\] "GET /probe/stderr HTTP/1\.1" 200 7 '
               r'"http://r/" "e2e-agent" \d+\.\d{6} probe$')
    check(re.match(pattern, lines[0]), lines[0])
    check(lines[1].endswith(" hello") and '"GET /hello HTTP/1.1" 200 16' in lines[1], lines[1])


@case
def up_options_env_dirs_follow_and_admin(env):
    # Two components that both log to stderr: only the followed one reaches the console.
    with open(os.path.join(env.dir, "spin.toml"), "a") as f:
        f.write("""
[[trigger.http]]
route = "/other/..."
component = "other"
executor = { type = "wagi" }

[component.other]
source = "probe.wasm"
""")
    state = os.path.join(env.dir, "state")
    logs = os.path.join(env.dir, "elsewhere", "logs")
    s = env.up("--env", "GREETING=from --env", "-e", "EXTRA=x=y", "--state-dir", state, "--log-dir", logs,
               "--follow", "other", "--admin-listen", "127.0.0.1:0")
    check(f'Logging component stdio to "{logs}/"' in "".join(s.banner), s.banner)
    _, _, body = request(s.port, "GET", "/probe/env")
    check("GREETING=from --env\n" in body.decode() and "EXTRA=x=y\n" in body.decode(), body)
    request(s.port, "GET", "/probe/stderr")
    request(s.port, "GET", "/other/stderr")
    check(s.admin_port is not None, "no Metrics: line in " + "".join(s.banner))
    _, _, metrics = request(s.admin_port, "GET", "/metrics")
    check('bantam_http_requests_total{component="other",status="200"} 1' in metrics.decode(), metrics.decode())
    check(s.stop() == 0, "exit status")
    for component in ("probe", "other"):
        with open(os.path.join(logs, component + "_stderr.txt")) as f:
            check("probe: a line on stderr\n" in f.read(), component + " stderr log")
    with open(os.path.join(logs, "access.log")) as f:
        check(len(f.read().splitlines()) == 3, "three access log lines")
    check(not os.path.exists(os.path.join(env.dir, ".spin")), "nothing written to the default state dir")
    check(sum("probe: a line on stderr" in l for l in s.stderr_lines) == 1, s.stderr_lines)

    # --state-dir alone: logs go to STATE/logs; --quiet: no component output on the console.
    s = env.up("--state-dir", state, "--quiet")
    request(s.port, "GET", "/other/stderr")
    check(s.stop() == 0, "exit status")
    with open(os.path.join(state, "logs", "other_stderr.txt")) as f:
        check("probe: a line on stderr\n" in f.read(), "state-dir log")
    check(not any("probe: a line on stderr" in l for l in s.stderr_lines), s.stderr_lines)


@case
def wrk_keep_alive_load_has_no_errors(env):
    if not shutil.which("wrk"):
        raise Skip("wrk is not installed")
    s = env.harness("--quiet")
    out = subprocess.run(["wrk", "-t2", "-c32", "-d2s", s.url("/hello")], capture_output=True, text=True,
                         timeout=60).stdout
    check("Socket errors" not in out and "Non-2xx" not in out, out)
    m = re.search(r"(\d+) requests in", out)
    check(m and int(m.group(1)) > 1000, out)


# The cases above run with the engine `bantam up` uses by default (the compiled engine when it is
# built); these also run in the interpreter, as CASE_interp.
INTERP_CASES = ["banner_lists_the_routes", "headers_in_and_out", "hundred_concurrent_requests",
                "trap_next_to_a_healthy_component", "infinite_loop_is_cut_by_the_timeout",
                "memory_bomb_is_stopped_by_the_limit", "no_state_between_requests",
                "sigterm_lets_requests_in_flight_finish", "sleeping_guest_does_not_block_its_loop",
                "spinning_guest_is_preempted_on_its_loop"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--bantam")
    ap.add_argument("--harness")
    ap.add_argument("--guests")
    ap.add_argument("--engine", help="interp or compiled (default: bantam up's default)")
    ap.add_argument("cases", nargs="*")
    args = ap.parse_args()
    if args.list:
        print("\n".join(list(CASES) + [c + "_interp" for c in INTERP_CASES]))
        return 0
    for attr in ("bantam", "harness", "guests"):
        setattr(args, attr, os.path.abspath(getattr(args, attr)))
    failed = 0
    default_engine = args.engine
    for name in args.cases or list(CASES):
        args.engine = default_engine
        env = None
        try:
            if shutil.which("curl") is None:
                raise Skip("curl is not installed")
            if name.endswith("_interp") and name[:-len("_interp")] in INTERP_CASES:
                args.engine = "interp"
                fn = CASES[name[:-len("_interp")]]
            else:
                fn = CASES[name]
            env = Env(args)
            fn(env)
            print(f"PASS {name}")
        except Skip as e:
            print(f"SKIP {name}: {e}")
            if len(args.cases) == 1:
                return 77
        except Exception as e:  # noqa: BLE001 - report every failure the same way
            failed += 1
            print(f"FAIL {name}: {e}")
            if env:
                for s in env.servers:
                    print("--- server stderr ---\n" + "".join(s.stderr_lines[-30:]))
        finally:
            if env:
                env.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
