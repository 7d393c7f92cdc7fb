"""Reference index: pseudonymised involvement signals and matches between organisations."""
from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "oneplan.signals"
    label = "signals"
