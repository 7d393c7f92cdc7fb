"""Users, organisations, professionals, roles and API tokens."""
from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "oneplan.accounts"
    label = "accounts"
