from django.urls import path

from governance.worktime import views

app_name = "worktime"
urlpatterns = [
    path("", views.calendar_year, name="year_current"),
    path("<int:year>/", views.calendar_year, name="year"),
    path("<int:year>/refill/", views.year_refill, name="refill"),
    path("days/new/", views.day_create, name="day_create"),
    path("days/<int:pk>/edit/", views.day_edit, name="day_edit"),
    path("days/<int:pk>/delete/", views.day_delete, name="day_delete"),
    path("hours/", views.working_hours, name="hours"),
]
