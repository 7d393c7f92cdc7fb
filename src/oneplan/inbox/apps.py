"""One inbox per professional: notifications on the page and by e-mail."""
from django.apps import AppConfig


class InboxConfig(AppConfig):
    name = "oneplan.inbox"
    label = "inbox"
