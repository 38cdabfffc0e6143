from django.urls import path

from polls import views

app_name = "polls"
urlpatterns = [
    path("", views.IndexView.as_view(), name="index"),
    path("<int:question_id>/vote/", views.vote, name="vote"),
]
