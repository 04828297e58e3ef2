from django.urls import path

from governance.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.staff_list, name="staff_list"),
    path("new/", views.staff_create, name="staff_create"),
    path("<int:pk>/", views.staff_detail, name="staff_detail"),
    path("<int:pk>/edit/", views.staff_edit, name="staff_edit"),
    path("<int:pk>/password/", views.staff_password, name="staff_password"),
    path("<int:pk>/active/", views.staff_set_active, name="staff_set_active"),
    path("<int:pk>/roles/", views.role_add, name="role_add"),
    path("<int:pk>/roles/<int:assignment_pk>/remove/", views.role_remove, name="role_remove"),
]
