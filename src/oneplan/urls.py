"""URL map: pages per app, the REST API, health check."""
from django.contrib.auth import views as auth_views
from django.urls import include, path

from oneplan.accounts import views as account_views
from oneplan.api import api, not_found_view
from oneplan.core import views as core_views
from oneplan.directory import hsds
from oneplan.frontdoor import views as frontdoor_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("help", frontdoor_views.help_form, name="help"),
    path("help/status", frontdoor_views.status, name="help_status"),
    path("frontdoor/", include("oneplan.frontdoor.urls")),
    path("studies/", include("oneplan.studies.urls")),
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
    path("partnership/", include("oneplan.partnership.urls")),
    path("insights/", include("oneplan.insights.urls")),
    path("hsds/", hsds.root, name="hsds_root"),
    path("hsds/openapi.json", hsds.openapi, name="hsds_openapi"),
    path("hsds/services", hsds.services, name="hsds_services"),
    path("hsds/services/<str:service_id>", hsds.service, name="hsds_service"),
    path("hsds/organizations", hsds.organizations, name="hsds_organizations"),
    path("hsds/organizations/<str:organization_id>", hsds.organization, name="hsds_organization"),
    path("hsds/service_at_locations", hsds.service_at_locations, name="hsds_service_at_locations"),
    path("hsds/service_at_locations/<str:sal_id>", hsds.service_at_location, name="hsds_service_at_location"),
    path("hsds/taxonomies", hsds.taxonomies, name="hsds_taxonomies"),
    path("hsds/taxonomies/<str:taxonomy_id>", hsds.taxonomy, name="hsds_taxonomy"),
    path("hsds/taxonomy_terms", hsds.taxonomy_terms, name="hsds_taxonomy_terms"),
    path("hsds/taxonomy_terms/<str:term_id>", hsds.taxonomy_term, name="hsds_taxonomy_term"),
    path("fhir/R4/", include("oneplan.fhir.urls")),
    path("api/v1/", api.urls),
    path("api/v1/<path:path>", not_found_view),  # unknown API paths: problem JSON
]

handler404 = "oneplan.core.views.not_found"
handler500 = "oneplan.core.views.server_error"
