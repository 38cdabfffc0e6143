from django.urls import path

from blog import views

urlpatterns = [
    path("", views.post_list, name="post-list"),
    path("by/<str:username>/", views.author_posts, name="author-posts"),
]
