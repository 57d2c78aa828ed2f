from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache

from evaluation import todo


@never_cache
@login_required
def todo_list(request):
    """ "Việc cần làm": what this person has to do next, late and nearest first, one section
    per kind of work (evaluation.todo). Also where signing in lands (LOGIN_REDIRECT_URL):
    a visitor with no part in the procedure goes on to the catalogue instead."""
    if not todo.has_role(request.user):
        return redirect("catalogue:catalogue")
    today = timezone.localdate()
    tasks = todo.tasks_for(request.user, today)
    context = {
        "sections": todo.sections(tasks),
        "total": len(tasks),
        "late": sum(task.late for task in tasks),
        "today": today,
    }
    return render(request, "evaluation/todo.html", context)
