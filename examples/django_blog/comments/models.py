from datetime import timedelta

from blog.models import Post
from django.conf import settings
from django.db import models
from django.utils import timezone


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    body = models.TextField()
    created = models.DateTimeField(auto_now_add=True)

    @staticmethod
    def is_open(post: Post) -> bool:
        if post.published is None:
            return False
        return timezone.now() - post.published < timedelta(days=settings.COMMENTS_OPEN_DAYS)
