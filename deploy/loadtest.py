"""Load a running oneplan on this machine: log in, then `wrk` against /healthz and a logged-in page.

    python deploy/loadtest.py http://127.0.0.1:8000 --user coordinator --password ... [--seconds 15]

Only loopback addresses are accepted (this is a measuring tool, not a load test of someone else's
server); every run is bounded in time (wrk -d) and connections (-c). Requests carry
X-Forwarded-Proto: https as the TLS proxy in front of oneplan would. Prints one Markdown table row
per page: requests/s, p50, p95 and p99 latency, errors. Used for docs/benchmarks.md;
the same engine as `oneplan bench --http` (oneplan/bench/http.py), so run it where oneplan is
installed with its settings.
"""
import argparse
import sys
from urllib.parse import urlsplit

from oneplan.bench.http import LOOPBACK, login, run, wrk_available


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
    if not wrk_available():
        sys.exit("wrk is not installed (Debian: apt-get install wrk)")
    port = parts.port or 80
    cookie, _csrf = login(parts.hostname, port, args.user, args.password)
    for path in ["/healthz", args.page]:
        result = run(f"http://{parts.hostname}:{port}{path}", headers={"Cookie": cookie}, seconds=args.seconds,
                     connections=args.connections, threads=args.threads)
        print(f"| {args.label} | `{path}` | {result['rps']:,.0f} | {result['p50']:.1f} | "
              f"{result['p95']:.1f} | {result['p99']:.1f} | {result['requests']:,} | {result['errors']} |",
              flush=True)


if __name__ == "__main__":
    main()
