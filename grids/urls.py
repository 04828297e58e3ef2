from django.urls import path

from grids import views

app_name = "grids"
urlpatterns = [
    path("territory/", views.territory_tree, name="tree"),
    path("territory/new/", views.area_create, name="area_create"),
    path("territory/import/", views.boundary_import, name="boundary_import"),
    path("territory/<int:pk>/", views.area_detail, name="area_detail"),
    path("territory/<int:pk>/edit/", views.area_edit, name="area_edit"),
    path("territory/<int:pk>/boundary/", views.area_boundary, name="area_boundary"),
    path("map/", views.territory_map, name="map"),
    path("map/grids.geojson", views.map_geojson, name="map_geojson"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_edit, name="unit_edit"),
]
