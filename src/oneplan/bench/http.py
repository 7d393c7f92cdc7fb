"""Pages under real HTTP load: `oneplan serve` (the production server, 2 workers x 4 threads)
on loopback, driven by wrk (Debian's `wrk`; `make bench` installs it when missing and root) at
a bounded concurrency for a bounded time, `/healthz` measured in the same run as the ceiling.

Also the engine of deploy/loadtest.py (an operator's check of a running installation).
"""
import contextlib
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from urllib.parse import urlencode

from oneplan.core.management.commands.serve import server_argv

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# wrk's own report prints p50/p75/p90/p99; this prints what we report: p50, p95, p99, errors.
REPORT_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("REPORT %d %.3f %.3f %.3f %.3f %d\\n", summary.requests,
           summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
           latency:percentile(95) / 1000, latency:percentile(99) / 1000, errors))
end
"""
PATHS_LUA = """
local paths = {{{paths}}}
local i = 0
request = function()
  i = i % #paths + 1
  return wrk.format(nil, paths[i])
end
"""
POST_LUA = """
wrk.method = "POST"
wrk.body = {body}
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
"""


def wrk_available() -> bool:
    return shutil.which("wrk") is not None


def _cookies(response, jar: dict) -> None:
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, val = value.split(";", 1)[0].partition("=")
            jar[key.strip()] = val.strip()


def login(host: str, port: int, user: str, password: str) -> tuple[str, str]:
    """Logs in through the login form; returns (Cookie header, CSRF token) for later requests."""
    headers = {"X-Forwarded-Proto": "https", "Host": f"{host}:{port}"}
    jar: dict = {}
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request("GET", "/login/", headers=headers)
    response = conn.getresponse()
    page = response.read().decode()
    _cookies(response, jar)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    body = urlencode({"username": user, "password": password, "csrfmiddlewaretoken": token})
    conn.request("POST", "/login/", body=body, headers={
        **headers, "Content-Type": "application/x-www-form-urlencoded",
        "Referer": f"https://{host}:{port}/login/", "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    response = conn.getresponse()
    response.read()
    _cookies(response, jar)
    if response.status != 302 or "sessionid" not in jar:
        raise RuntimeError(f"login failed: HTTP {response.status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items()), jar.get("csrftoken", "")


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def run(url: str, *, headers: dict, seconds: int, connections: int, threads: int = 2,
        post: dict | None = None, paths: list[str] | None = None) -> dict:
    """One wrk run: requests/s, p50, p95, p99 (ms), errors (connect, timeouts, HTTP >= 400).
    `paths` (on the same host) are requested in turn instead of the URL's own path."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        if post is not None:
            script.write(POST_LUA.format(body=_lua_string(urlencode(post))))
        if paths:
            script.write(PATHS_LUA.format(paths=", ".join(_lua_string(p) for p in paths)))
        script.write(REPORT_LUA)
        script.flush()
        argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", script.name]
        for name, value in {"X-Forwarded-Proto": "https", **headers}.items():
            argv += ["-H", f"{name}: {value}"]
        out = subprocess.run(argv + [url], capture_output=True, text=True, check=True,
                             timeout=seconds + 30).stdout
    n, rps, p50, p95, p99, errors = re.search(r"REPORT (\S+) (\S+) (\S+) (\S+) (\S+) (\S+)", out).groups()
    return {"requests": int(n), "rps": float(rps), "p50": float(p50), "p95": float(p95), "p99": float(p99),
            "errors": int(errors)}


# ---- a production server on loopback --------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def server(env: dict, *, workers: int = 2, threads: int = 4, application: str = "", collectstatic: bool = False):
    """`oneplan serve` on a free loopback port for the duration of the block; yields the port.
    `application` ("module:name") runs the same server on another WSGI application (a bench
    variant, never something `oneplan serve` offers)."""
    port = free_port()
    argv = [sys.executable, "-m", "oneplan.cli", "serve", "--port", str(port), "--workers", str(workers),
            "--threads", str(threads)] + ([] if collectstatic else ["--no-collectstatic"])
    if application:
        argv = [application if a == "oneplan.wsgi:application" else a
                for a in server_argv("granian", host="127.0.0.1", port=port, workers=workers, threads=threads)]
    # The server's log goes to a file (a pipe nobody reads would fill up and stop the server).
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    log.seek(0)
                    raise RuntimeError("oneplan serve did not start: " + log.read().decode()[-2000:]) from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)
        if os.environ.get("ONEPLAN_BENCH_SERVER_LOG"):
            log.seek(0)
            sys.stderr.write(log.read().decode()[-5000:])
        log.close()
