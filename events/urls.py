from django.urls import path

from events.views import alerts, items, pages, public

app_name = "events"
urlpatterns = [
    path("events/", pages.event_list, name="list"),
    path("events/report/", pages.report, name="report"),
    path("events/nearby/", pages.nearby, name="nearby"),
    path("events/console/", pages.street_console, name="street_console"),
    path("events/district/", pages.district_console, name="district_console"),
    path("events/inbox/", pages.inbox, name="inbox"),
    path("events/mine/", pages.mine, name="mine"),
    path("events/bulk/", pages.bulk, name="bulk"),
    path("events/photos/<int:pk>/", pages.photo, name="photo"),
    path("events/<int:pk>/", pages.event_detail, name="detail"),
    path("events/<int:pk>/supplement/", pages.supplement, name="supplement"),
    path("events/<int:pk>/supervise/", alerts.supervise, name="supervise"),
    path("events/<int:pk>/<slug:name>/", pages.event_act, name="act"),
    path("supervision/", alerts.supervision_list, name="supervision"),
    path("alert-settings/", alerts.alert_settings_page, name="alert_settings"),
    path(
        "alert-settings/heads/<int:pk>/remove/",
        alerts.unit_head_remove,
        name="unit_head_remove",
    ),
    path("service-items/", items.item_list, name="item_list"),
    path("service-items/new/", items.item_create, name="item_create"),
    path("service-items/export/", items.item_export, name="item_export"),
    path("service-items/import/", items.item_import, name="item_import"),
    path("service-items/<int:pk>/", items.item_detail, name="item_detail"),
    path("service-items/<int:pk>/edit/", items.item_edit, name="item_edit"),
    path("track/", public.track, name="track"),
    path("track/report/", public.public_report, name="public_report"),
    path("track/<str:number>/", public.public_status, name="public_status"),
    path("track/<str:number>/rate/", public.public_rate, name="public_rate"),
]
