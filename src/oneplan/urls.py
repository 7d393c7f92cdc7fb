"""URL map: pages per app, the REST API, health check."""
from django.contrib.auth import views as auth_views
from django.urls import include, path

from oneplan.accounts import views as account_views
from oneplan.api import api, not_found_view
from oneplan.core import views as core_views
from oneplan.directory import hsds

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("login/code/", account_views.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/setlang/", account_views.language, name="set_language"),
    path("families/", include("oneplan.families.urls")),
    path("plans/", include("oneplan.plans.urls")),
    path("portal/", include("oneplan.portal.urls")),
    path("assessments/", include("oneplan.assessments.urls")),
    path("access/", include("oneplan.access.urls")),
    path("audit/", include("oneplan.access.audit_urls")),
    path("signals/", include("oneplan.signals.urls")),
    path("inbox/", include("oneplan.inbox.urls")),
    path("directory/", include("oneplan.directory.urls")),
    path("referrals/", include("oneplan.referrals.urls")),
    path("account/", include("oneplan.accounts.urls")),
    path("webhooks/", include("oneplan.webhooks.urls")),
    path("hsds/", hsds.root, name="hsds_root"),
    path("hsds/services", hsds.services, name="hsds_services"),
    path("hsds/services/<int:service_id>", hsds.service, name="hsds_service"),
    path("fhir/R4/", include("oneplan.fhir.urls")),
    path("api/v1/", api.urls),
    path("api/v1/<path:path>", not_found_view),  # unknown API paths: problem JSON
]

handler404 = "oneplan.core.views.not_found"
handler500 = "oneplan.core.views.server_error"
