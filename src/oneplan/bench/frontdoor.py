"""The front door under load (`oneplan bench --front-door N`): the intake queue with N open
requests, then a real server (`oneplan serve`, 2 workers x 4 threads) taking requests for help
at a steady 50 per second from many addresses, and a burst of 1,000 from one address, while a
front-door worker keeps reading her queue. Everything runs on this machine (loopback only)."""
import datetime as dt
import http.client
import os
import random
import re
import threading
import time
from urllib.parse import urlencode

from django.conf import settings
from django.test import Client
from django.utils import timezone

from oneplan.accounts.models import Organisation, Professional, Role, User
from oneplan.bench.http import server
from oneplan.frontdoor.models import PRIORITY, HelpRequest, Status
from oneplan.frontdoor.services import source_hash

WORKER = "bench-frontdoor"
PASSWORD = "bench-frontdoor-password-2026"
STORIES = ["We are behind on the rent and the letters keep coming.",
           "My son does not go to school any more and I do not know what to do.",
           "Since the divorce the money does not stretch to the end of the month.",
           "The children next door are alone a lot in the evening."]


def _percentile(values: list[float], pct: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))] if ordered else 0.0


def worker() -> Professional:
    professional = Professional.objects.filter(user__username=WORKER).first()
    if professional:
        return professional
    user = User.objects.create_user(username=WORKER, password=PASSWORD, first_name="Bench",
                                    last_name="Front door")
    professional = Professional.objects.create(user=user, roles=[Role.FRONT_DOOR, Role.PRACTITIONER])
    professional.organisations.add(Organisation.objects.order_by("id").first()
                                   or Organisation.objects.create(name="Bench front door", sector="municipality"))
    return professional


def seed_open_requests(total: int, *, seed: int = 7) -> int:
    """Open requests up to `total`, spread over urgencies and due times, in bulk."""
    have = HelpRequest.objects.exclude(status=Status.DONE).count()
    rng, now, made = random.Random(seed + have), timezone.now(), []
    for i in range(max(0, total - have)):
        urgency = rng.choice(["urgent", "soon", "soon", "routine", "routine", "routine"])
        created = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 14))
        made.append(HelpRequest(
            reference=f"B{have + i:07d}", code_hash="0" * 64, created_at=created, language="nl",
            asker=rng.choice(["family", "school", "health", "neighbour"]), asker_name=f"Asker {i}",
            phone="0612345678", contact_by="phone", story=rng.choice(STORIES), domains=["housing"],
            urgency=urgency, priority=PRIORITY[urgency], family_name=f"Family {i}",
            due_at=created + dt.timedelta(hours={"urgent": 4, "soon": 48, "routine": 120}[urgency]),
            status=rng.choice([Status.NEW, Status.NEW, Status.IN_CONTACT]),
            source_hash=source_hash(f"10.9.{i // 250}.{i % 250}")))
    HelpRequest.objects.bulk_create(made, batch_size=2000)
    return len(made)


def queue_in_process(professional: Professional, requests: int = 200) -> dict:
    """The queue page through Django's test client: the first page and keyset pages after it."""
    client = Client()
    client.force_login(professional.user)
    times, after = [], ""
    for i in range(requests + 20):
        started = time.perf_counter()
        response = client.get("/frontdoor/", {"after": after} if after else {})
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, response.status_code
        match = re.search(rb'\?after=([^"&]+)', response.content)
        after = match.group(1).decode().replace("%7E", "~") if match and i % 5 != 4 else ""
        if i >= 20:
            times.append(elapsed)
    return {"p50": _percentile(times, 50), "p95": _percentile(times, 95), "requests": requests}


# ---- over HTTP ---------------------------------------------------------------------------------

class Http:
    """A keep-alive connection with its own cookies, as one browser tab."""

    def __init__(self, port: int, forwarded_for: str = "127.0.0.1"):
        self.port, self.forwarded_for, self.jar = port, forwarded_for, {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    def request(self, method: str, path: str, body: dict | None = None) -> tuple[int, str]:
        headers = {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.forwarded_for,
                   "Host": f"127.0.0.1:{self.port}", "Referer": f"https://127.0.0.1:{self.port}{path}",
                   "Cookie": "; ".join(f"{k}={v}" for k, v in self.jar.items())}
        data = None
        if body is not None:
            data = urlencode(body, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode()
                break
            except (http.client.HTTPException, OSError):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                if attempt == 2:
                    raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, val = value.split(";", 1)[0].partition("=")
                self.jar[key.strip()] = val.strip()
        return response.status, text

    def token(self, path: str) -> str:
        _status, page = self.request("GET", path)
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)


def _form(token: str, i: int) -> dict:
    return {"csrfmiddlewaretoken": token, "asker": "family", "unsafe_now": "no", "story": STORIES[i % 4],
            "urgency": "routine", "asker_name": f"Load {i}", "contact_by": "phone", "phone": "0612345678"}


def _login(port: int) -> Http:
    tab = Http(port)
    token = tab.token("/login/")
    status, _ = tab.request("POST", "/login/", {"username": WORKER, "password": PASSWORD,
                                                "csrfmiddlewaretoken": token})
    if status != 302:
        raise RuntimeError(f"bench worker could not log in: HTTP {status}")
    return tab


class _Reader(threading.Thread):
    """The front-door worker reading her queue, one page after another, while the load runs."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.tab, self.times, self.moments, self.stop = _login(port), [], [], threading.Event()

    def run(self):
        while not self.stop.is_set():
            started, at = time.perf_counter(), time.monotonic()
            status, _ = self.tab.request("GET", "/frontdoor/")
            if status == 200:
                self.times.append((time.perf_counter() - started) * 1000)
                self.moments.append((at, time.monotonic()))


def _in_threads(target, n: int) -> None:
    pool = [threading.Thread(target=target) for _ in range(n)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()


def _closed_loop(port: int, path: str, seconds: float, threads: int = 8) -> dict:
    """The ceiling: `threads` tabs asking `path` as fast as they can."""
    times, lock, end = [], threading.Lock(), time.monotonic() + seconds

    def run():
        tab = Http(port)
        while time.monotonic() < end:
            started = time.perf_counter()
            tab.request("GET", path)
            with lock:
                times.append((time.perf_counter() - started) * 1000)

    _in_threads(run, threads)
    return {"per_second": round(len(times) / seconds), "p50": _percentile(times, 50), "p95": _percentile(times, 95)}


def _steady(port: int, rate: int, seconds: int, threads: int = 16) -> dict:
    """`rate` requests for help per second from as many addresses, timed from when each was due
    (a late start counts against the server, no coordinated omission)."""
    total = rate * seconds
    start = time.monotonic() + 1
    slots = iter(range(total))
    lock = threading.Lock()
    results: list[tuple[int, float]] = []

    def run():
        tab = Http(port)
        token = tab.token("/help")
        while True:
            with lock:
                i = next(slots, None)
            if i is None:
                return
            due = start + i / rate
            time.sleep(max(0.0, due - time.monotonic()))
            tab.forwarded_for = f"10.{i // 62500}.{(i // 250) % 250}.{i % 250 + 1}"  # every one from elsewhere
            status, _ = tab.request("POST", "/help", _form(token, i))
            with lock:
                results.append((status, (time.monotonic() - due) * 1000))

    _in_threads(run, threads)
    times = [ms for _s, ms in results]
    return {"sent": total, "accepted": sum(1 for s, _ in results if s == 201),
            "refused": sum(1 for s, _ in results if s == 429), "errors": sum(1 for s, _ in results if s >= 500),
            "p50": _percentile(times, 50), "p95": _percentile(times, 95)}


def _burst(port: int, count: int, threads: int = 8) -> dict:
    """`count` requests for help from one address, as fast as 8 tabs can send them."""
    slots, lock, statuses = iter(range(count)), threading.Lock(), []

    def run():
        tab = Http(port, "192.0.2.66")
        token = tab.token("/help")
        while True:
            with lock:
                i = next(slots, None)
            if i is None:
                return
            status, _ = tab.request("POST", "/help", _form(token, i))
            with lock:
                statuses.append(status)

    started = time.perf_counter()
    _in_threads(run, threads)
    return {"sent": count, "accepted": statuses.count(201), "refused": statuses.count(429),
            "errors": sum(1 for s in statuses if s >= 500), "seconds": round(time.perf_counter() - started, 1),
            "stored": HelpRequest.objects.filter(source_hash=source_hash("192.0.2.66")).count()}


def _burst_in_window(port: int, count: int, window: float) -> dict:
    """The burst in the middle of a `window` of seconds, as a worker's working day sees it."""
    time.sleep(window / 3)
    started = time.monotonic()
    result = _burst(port, count)
    result["window"] = (started, time.monotonic())
    time.sleep(max(0.0, window - window / 3 - (time.monotonic() - started)))
    return result


def _reading_while(port: int, action) -> tuple[dict, dict]:
    reader = _Reader(port)
    reader.start()
    try:
        result = action()
    finally:
        reader.stop.set()
        reader.join()
    times = reader.times
    reading = {"p50": _percentile(times, 50), "p95": _percentile(times, 95), "requests": len(times)}
    if isinstance(result, dict) and "window" in result:
        begin, end = result.pop("window")
        during = [ms for ms, (a, b) in zip(times, reader.moments, strict=True) if a < end and b > begin]
        reading.update(during=len(during), during_max=max(during, default=0.0))
    return result, reading


def http_load(*, rate: int = 50, seconds: int = 20, burst: int = 1000) -> dict:
    env = {**os.environ, "ONEPLAN_PROXY_HOPS": "1", "DJANGO_SETTINGS_MODULE": "oneplan.settings"}
    HelpRequest.objects.filter(source_hash=source_hash("192.0.2.66")).delete()
    before = HelpRequest.objects.count()
    with server(env) as port:
        _closed_loop(port, "/healthz", 2)  # warm the workers
        healthz = _closed_loop(port, "/healthz", 5)
        _idle, queue_alone = _reading_while(port, lambda: time.sleep(8))
        steady, queue_steady = _reading_while(port, lambda: _steady(port, rate, seconds))
        stored_steady = HelpRequest.objects.count() - before
        bursted, queue_burst = _reading_while(port, lambda: _burst_in_window(port, burst, window=10))
    return {"healthz": healthz, "queue_alone": queue_alone, "steady": {**steady, "stored": stored_steady},
            "queue_steady": queue_steady, "burst": bursted, "queue_burst": queue_burst,
            "per_hour_limit": settings.ONEPLAN["FRONT_DOOR_LIMITS"]["PER_HOUR"]}
