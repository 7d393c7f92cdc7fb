"""`oneplan bench`: performance scenarios and the load run, on generated data; a tool that may import every app."""
from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "oneplan.bench"
    label = "bench"
