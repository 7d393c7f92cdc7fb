"""Users, organisations, professionals, roles and API tokens."""
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oneplan.accounts"
    label = "accounts"

    def ready(self):
        from oneplan.accounts import jobs
        from oneplan.core import tick

        tick.register("sessions", jobs.clear_sessions)
        tick.register("login-attempts", jobs.prune_login_attempts)
