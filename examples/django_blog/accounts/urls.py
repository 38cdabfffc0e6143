from django.urls import path

from accounts import views

urlpatterns = [path("profile/", views.edit_profile, name="profile")]
