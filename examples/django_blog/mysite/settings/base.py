from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "accounts",
    "blog",
    "comments",
]

ROOT_URLCONF = "mysite.urls"
AUTH_USER_MODEL = "accounts.User"
POSTS_PER_PAGE = 10
COMMENTS_OPEN_DAYS = 30
