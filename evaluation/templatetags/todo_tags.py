from django import template
from django.utils import timezone

from evaluation import todo

register = template.Library()


@register.simple_tag
def todo_count(user):
    """The number of tasks beside "Việc cần làm" in the menu (kept per person: no query on
    most pages, evaluation.todo.count_for)."""
    return todo.count_for(user, timezone.localdate())
