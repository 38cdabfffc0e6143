from django.test import TestCase

from accounts.services import profile_for


class ProfileTests(TestCase):
    def test_a_profile_is_created_on_first_use(self) -> None:
        self.assertTrue(callable(profile_for))
