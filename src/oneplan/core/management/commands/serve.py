"""`oneplan serve`: the production web server (granian; gunicorn on request).

granian was chosen by measurement (docs/benchmarks.md, "Production server"): level with gunicorn
on PostgreSQL, ahead of it on SQLite, never behind in median throughput or p95.

Static files are collected first and served by WhiteNoise from the same processes; TLS is the
proxy's job (see deploy/ and README). The server replaces this process, so systemd's signals and
exit status are the server's own.
"""
import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from oneplan.settings import envint

SERVERS = ("granian", "gunicorn")


def server_argv(server: str, *, host: str, port: int, workers: int, threads: int) -> list[str]:
    """The command line that runs `server` on oneplan's WSGI application."""
    if server == "gunicorn":
        return [_executable("gunicorn"), "oneplan.wsgi:application", "--bind", f"{host}:{port}",
                "--workers", str(workers), "--threads", str(threads), "--worker-class", "gthread"]
    if server == "granian":
        return [_executable("granian"), "--interface", "wsgi", "oneplan.wsgi:application",
                "--host", host, "--port", str(port), "--workers", str(workers),
                "--blocking-threads", str(threads), "--no-ws",
                # A worker that dies is replaced, as gunicorn does by default.
                "--respawn-failed-workers"]
    raise CommandError(f"Unknown server {server!r}: choose one of {', '.join(SERVERS)}.")


def _executable(name: str) -> str:
    # The one next to this Python first: a virtualenv's bin/ is often not on systemd's PATH.
    here = os.path.join(os.path.dirname(sys.executable), name)
    found = here if os.access(here, os.X_OK) else shutil.which(name)
    if not found:
        raise CommandError(f"{name} is not installed in this environment (pip install {name}).")
    return found


class Command(BaseCommand):
    help = ("Run the production web server (debug off, static files via WhiteNoise). Listens on "
            "127.0.0.1:8000 unless told otherwise; put a TLS-terminating proxy in front.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("ONEPLAN_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=envint("ONEPLAN_PORT", 8000))
        parser.add_argument("--workers", type=int,
                            default=envint("ONEPLAN_WEB_WORKERS", os.cpu_count() or 2))
        parser.add_argument("--threads", type=int,
                            default=envint("ONEPLAN_WEB_THREADS", 4))
        parser.add_argument("--server", choices=SERVERS, default=os.environ.get("ONEPLAN_SERVER", "granian"))
        parser.add_argument("--no-collectstatic", action="store_true",
                            help="static files were collected already (read-only installation)")

    def handle(self, *args, host, port, workers, threads, server, no_collectstatic, **opts):
        if settings.DEBUG:
            raise CommandError("oneplan serve is the production server and refuses to run with "
                               "ONEPLAN_DEBUG on; use `make run` (runserver) for development.")
        if workers < 1 or threads < 1:
            raise CommandError("--workers and --threads must be at least 1.")
        argv = server_argv(server, host=host, port=port, workers=workers, threads=threads)
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write(f"oneplan: {server} on http://{host}:{port}/ with {workers} workers × "
                          f"{threads} threads")
        self.stdout.flush()
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "oneplan.settings")
        os.execv(argv[0], argv)
