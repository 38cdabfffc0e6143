from django.shortcuts import get_object_or_404, render
from django.views import generic
from mysite.settings import POLLS_PAGE_SIZE

from polls.forms import VoteForm
from polls.models import Question


class IndexView(generic.ListView):
    template_name = "polls/index.html"
    paginate_by = POLLS_PAGE_SIZE

    def get_queryset(self):
        return Question.objects.order_by("-pub_date")


def vote(request, question_id: int):
    question = get_object_or_404(Question, pk=question_id)
    form = VoteForm(request.POST or None)
    return render(request, "polls/detail.html", {"question": question, "form": form})
