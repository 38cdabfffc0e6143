from blog.models import Post
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect

from comments.forms import CommentForm
from comments.models import Comment


@login_required
def add_comment(request, slug):
    post = get_object_or_404(Post, slug=slug)
    form = CommentForm(request.POST)
    if form.is_valid() and Comment.is_open(post):
        form.instance.post = post
        form.instance.author = request.user
        form.save()
    return redirect("post-detail", slug=slug)
