from accounts.models import User
from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render

from blog.models import Post


def post_list(request):
    posts = Post.objects.filter(published__isnull=False).order_by("-published")
    page = Paginator(posts, settings.POSTS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "blog/post_list.html", {"page": page})


def author_posts(request, username):
    author = get_object_or_404(User, username=username)
    return render(request, "blog/author.html", {"author": author, "posts": author.post_set.all()})
