"""Service directory: organisations' services in the HSDS 3.0 shape, with eligibility and waiting times."""
from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "oneplan.directory"
    label = "directory"
