from django.urls import path

from oneplan.webhooks import views

app_name = "webhooks"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.new, name="new"),
    path("<int:endpoint_id>/", views.endpoint, name="endpoint"),
    path("<int:endpoint_id>/deactivate/", views.deactivate, name="deactivate"),
    path("deliveries/<int:delivery_id>/resend/", views.resend, name="resend"),
]
