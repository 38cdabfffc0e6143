from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    bio = models.TextField(blank=True)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username
