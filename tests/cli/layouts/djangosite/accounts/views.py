from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from accounts.forms import ProfileForm
from accounts.services import profile_for


@login_required
def edit_profile(request):
    form = ProfileForm(request.POST or None, instance=profile_for(request.user))
    if form.is_valid():
        form.save()
        return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})
