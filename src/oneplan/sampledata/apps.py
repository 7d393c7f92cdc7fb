"""Demo municipality and synthetic data at scale (`oneplan demo`, `generate`, `signals seed`): a tool that may import every app."""
from django.apps import AppConfig


class SampleDataConfig(AppConfig):
    name = "oneplan.sampledata"
    label = "sampledata"
