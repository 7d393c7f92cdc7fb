from django.urls import path

from oneplan.accounts import views

app_name = "accounts"
urlpatterns = [
    path("two-step/", views.two_factor_setup, name="two_factor"),
    path("tokens/", views.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("system-clients/", views.system_client_list, name="system_clients"),
    path("system-clients/<int:client_id>/revoke/", views.system_client_revoke, name="system_client_revoke"),
]
