"""`oneplan bench --http`: key pages through the production server under wrk, at concurrency 8
and 32, with `/healthz` measured in the same run (docs/benchmarks.md, "Pages over HTTP")."""
import os
import time

from django.utils import timezone

from oneplan.access.rules import active_team_q
from oneplan.accounts.models import ApiToken
from oneplan.bench import http
from oneplan.bench.scenarios import pick_professional
from oneplan.families.models import CareTeamMember, Family

PASSWORD = "bench-http-password-2026"


def _setup():
    professional = pick_professional()
    professional.user.set_password(PASSWORD)
    professional.user.save(update_fields=["password"])
    key = ApiToken.generate()
    ApiToken.objects.create(user=professional.user, name=f"bench http {time.time_ns()}",
                            key_hash=ApiToken.hash(key), prefix=key[:8])
    family_ids = list(CareTeamMember.objects.filter(active_team_q(timezone.localdate()),
                                                    professional=professional)
                      .values_list("family_id", flat=True).order_by("family_id")[:40])
    return professional, key, family_ids


def pages(*, seconds: int = 10, concurrencies=(8, 32), audit_off_too: bool = True) -> list[dict]:
    professional, key, family_ids = _setup()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "oneplan.settings"}
    results = []
    with http.server(env) as port:
        base = f"http://127.0.0.1:{port}"
        cookie, csrf = http.login("127.0.0.1", port, professional.user.username, PASSWORD)
        session = {"Cookie": cookie}
        http.run(base + "/healthz", headers={}, seconds=2, connections=8)  # warm up
        note_family = family_ids[0]
        scenarios = [
            ("/healthz", "/healthz", {}, None, None),
            ("family file", "/families/", session, None, [f"/families/{i}/" for i in family_ids]),
            ("caseload", "/families/", session, None, None),
            ("plan page", "/plans/", session, None, [f"/plans/family/{i}/" for i in family_ids]),
            ("API family read", "/api/v1/families", {"Authorization": f"Bearer {key}"}, None,
             [f"/api/v1/families/{i}" for i in family_ids]),
            ("adding a note (POST)", f"/families/{note_family}/notes/add/",
             {**session, "Referer": f"https://127.0.0.1:{port}/families/{note_family}/"},
             {"csrfmiddlewaretoken": csrf, "text": "Called the school: attendance is better.",
              "category": "plan", "visibility": "team", "about": ""}, None),  # plan: the whole team may write it
        ]
        for connections in concurrencies:
            for name, path, headers, post, paths in scenarios:
                result = http.run(base + path, headers=headers, seconds=seconds, connections=connections,
                                  post=post, paths=paths)
                results.append({"page": name, "connections": connections, **result})
    if audit_off_too:
        with http.server(env, application="oneplan.bench.wsgi_noaudit:application") as port:
            cookie, _csrf = http.login("127.0.0.1", port, professional.user.username, PASSWORD)
            http.run(f"http://127.0.0.1:{port}/healthz", headers={}, seconds=2, connections=8)
            result = http.run(f"http://127.0.0.1:{port}/families/", headers={"Cookie": cookie}, seconds=seconds,
                              connections=8, paths=[f"/families/{i}/" for i in family_ids])
            results.append({"page": "family file, audit write off", "connections": 8, **result})
    return results


def table(results: list[dict]) -> str:
    lines = ["| page | connections | requests/s | p50 ms | p95 ms | p99 ms | requests | errors |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    lines += [f"| {r['page']} | {r['connections']} | {r['rps']:,.0f} | {r['p50']:.1f} | {r['p95']:.1f} | "
              f"{r['p99']:.1f} | {r['requests']:,} | {r['errors']} |" for r in results]
    return "\n".join(lines)


def family_count() -> int:
    return Family.objects.count()
