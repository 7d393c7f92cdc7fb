"""The family's side: portal accounts by invitation, the plan, team, consents and access log."""
from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "oneplan.portal"
    label = "portal"
