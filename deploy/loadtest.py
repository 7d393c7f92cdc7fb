"""Load a running oneplan on this machine: log in, then `wrk` against /healthz and a logged-in page.

    python deploy/loadtest.py http://127.0.0.1:8000 --user coordinator --password ... [--seconds 15]

Only loopback addresses are accepted (this is a measuring tool, not a load test of someone else's
server); every run is bounded in time (wrk -d) and connections (-c). Requests carry
X-Forwarded-Proto: https as the TLS proxy in front of oneplan would. Prints one Markdown table row
per page: requests/s, p50 and p95 latency, errors. Used for docs/benchmarks.md.
"""
import argparse
import http.client
import re
import shutil
import subprocess
import sys
import tempfile
from urllib.parse import urlencode, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# wrk's own percentiles stop at p50/p75/p90/p99; this prints p50 and p95 and the error count.
REPORT_LUA = """
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
                 + summary.errors.status + summary.errors.timeout
  io.write(string.format("REPORT %d %.3f %.3f %.3f %d\\n", summary.requests,
           summary.requests / (summary.duration / 1e6), latency:percentile(50) / 1000,
           latency:percentile(95) / 1000, errors))
end
"""


def _cookies(response, jar: dict) -> None:
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            pair = value.split(";", 1)[0]
            key, _, val = pair.partition("=")
            jar[key.strip()] = val.strip()


def login(host: str, port: int, user: str, password: str) -> str:
    """Logs in through the login form (CSRF cookie and token) and returns the Cookie header."""
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
        "Referer": f"https://{host}:{port}/login/",
        "Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())})
    response = conn.getresponse()
    response.read()
    _cookies(response, jar)
    if response.status != 302 or "sessionid" not in jar:
        sys.exit(f"login failed: HTTP {response.status}")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def run(url: str, *, cookie: str, seconds: int, connections: int, threads: int) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(REPORT_LUA)
        script.flush()
        out = subprocess.run(
            ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s",
             "-s", script.name, "-H", "X-Forwarded-Proto: https", "-H", f"Cookie: {cookie}", url],
            capture_output=True, text=True, check=True, timeout=seconds + 30).stdout
    n, rps, p50, p95, errors = re.search(r"REPORT (\S+) (\S+) (\S+) (\S+) (\S+)", out).groups()
    return {"requests": int(n), "rps": float(rps), "p50": float(p50), "p95": float(p95),
            "errors": int(errors)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("base_url")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--page", default="/families/", help="the logged-in page to load")
    parser.add_argument("--seconds", type=int, default=15, choices=range(1, 121), metavar="1..120")
    parser.add_argument("--connections", type=int, default=8, choices=range(1, 65), metavar="1..64")
    parser.add_argument("--threads", type=int, default=2, choices=range(1, 9), metavar="1..8")
    parser.add_argument("--label", default="", help="first column of the table rows")
    args = parser.parse_args()
    parts = urlsplit(args.base_url)
    if parts.scheme != "http" or parts.hostname not in LOOPBACK:
        sys.exit("only http://127.0.0.1, http://localhost or http://[::1] are loaded")
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    port = parts.port or 80
    cookie = login(parts.hostname, port, args.user, args.password)
    for path in ["/healthz", args.page]:
        result = run(f"http://{parts.hostname}:{port}{path}", cookie=cookie, seconds=args.seconds,
                     connections=args.connections, threads=args.threads)
        print(f"| {args.label} | `{path}` | {result['rps']:,.0f} | {result['p50']:.1f} | "
              f"{result['p95']:.1f} | {result['requests']:,} | {result['errors']} |", flush=True)


if __name__ == "__main__":
    main()
