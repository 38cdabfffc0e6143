from django import forms

from polls.models import Choice


class VoteForm(forms.Form):
    choice = forms.ModelChoiceField(queryset=Choice.objects.all())
