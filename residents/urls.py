from django.urls import path

from residents.views import care, households, moves
from residents.views import registry as views

app_name = "residents"
urlpatterns = [
    path("residents/", views.resident_list, name="resident_list"),
    path("residents/people/<int:pk>/", views.resident_detail, name="resident_detail"),
    path("residents/people/<int:pk>/edit/", views.resident_edit, name="resident_edit"),
    path(
        "residents/people/<int:resident_pk>/care/new/",
        views.membership_create,
        name="membership_create",
    ),
    path("residents/people/<int:pk>/move/", moves.resident_move, name="resident_move"),
    path("residents/people/<int:pk>/status/", moves.resident_status, name="resident_status"),
    path("residents/households/<int:pk>/", households.household_detail, name="household_detail"),
    path(
        "residents/houses/<int:house_pk>/households/new/",
        households.household_create,
        name="household_create",
    ),
    path("residents/reveal/<str:kind>/<int:pk>/", views.reveal, name="reveal"),
    path("residents/grids/", views.grid_list, name="grid_list"),
    path("residents/grids/<int:pk>/", views.grid_detail, name="grid_detail"),
    path(
        "residents/grids/<int:grid_pk>/buildings/new/",
        views.building_create,
        name="building_create",
    ),
    path("residents/buildings/new/", views.building_create, name="building_create_any"),
    path("residents/buildings/<int:pk>/", views.building_detail, name="building_detail"),
    path("residents/buildings/<int:pk>/edit/", views.building_edit, name="building_edit"),
    path(
        "residents/buildings/<int:building_pk>/houses/new/",
        views.house_create,
        name="house_create",
    ),
    path("residents/houses/<int:pk>/", views.house_detail, name="house_detail"),
    path("residents/houses/<int:pk>/edit/", views.house_edit, name="house_edit"),
    path(
        "residents/houses/<int:house_pk>/residents/new/",
        views.resident_create,
        name="resident_create",
    ),
    path("residents/houses/<int:house_pk>/rentals/new/", views.rental_create, name="rental_create"),
    path("residents/rentals/", views.rental_list, name="rental_list"),
    path("residents/rentals/<int:pk>/", views.rental_detail, name="rental_detail"),
    path("residents/import/", views.import_residents, name="import"),
    path("residents/import/template.xlsx", views.import_template, name="import_template"),
    path("residents/export/", views.export_residents, name="export"),
    path("access-log/", views.access_log, name="access_log"),
    path("care/", views.care_list, name="care_list"),
    path("care/<int:pk>/", care.membership_detail, name="membership_detail"),
    path("care/visits/<int:pk>/photo/", views.visit_photo, name="visit_photo"),
    path("venues/", views.venue_list, name="venue_list"),
    path("venues/new/", views.venue_create, name="venue_create"),
    path("venues/<int:pk>/", views.venue_detail, name="venue_detail"),
    path("venues/<int:pk>/edit/", views.venue_edit, name="venue_edit"),
]
