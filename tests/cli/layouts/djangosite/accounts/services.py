from accounts.models import Profile


def profile_for(user) -> Profile:
    profile, _ = Profile.objects.get_or_create(user=user, defaults={"display_name": user.username})
    return profile
