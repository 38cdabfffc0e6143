from django.test import TestCase

from polls.models import Question


class QuestionModelTests(TestCase):
    def test_was_published_recently_with_future_question(self) -> None:
        self.assertTrue(Question)
