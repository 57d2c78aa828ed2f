"""Keep each product's standing in step with its certificates, and drop the public pages
kept for visitors when evaluation data they show changes.

Certificates are on every product page and in the register, with the decision that
issued them; dossiers, results and targets feed the public statistics. Scorecards, answers
and councils are left out: they are never shown to the public, and a council's ticks must
not empty the cache for every visitor.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import page_cache
from evaluation import todo
from evaluation.certificates import sync_standing
from evaluation.models import Certificate

PUBLIC_MODELS = [
    "evaluation.Certificate",
    "evaluation.Decision",
    "evaluation.Dossier",
    "evaluation.CouncilResult",
    "evaluation.Target",
]
page_cache.drop_pages_when_saved(*PUBLIC_MODELS)


@receiver(post_save, sender=Certificate, dispatch_uid="evaluation_certificate_standing")
@receiver(post_delete, sender=Certificate, dispatch_uid="evaluation_certificate_standing_delete")
def certificate_changed(sender, instance, raw=False, **kwargs):
    # A certificate edited in the admin (its dates, a revocation typed by hand) changes
    # what the catalogue may show; issue() and revoke() have set it already, so this
    # writes nothing then. Not during loaddata (a restore brings the products' own rows).
    if not raw:
        sync_standing(instance.product)


# The menu's to-do count (evaluation.todo) is kept per person until any of these change.
TODO_MODELS = [
    "evaluation.Dossier",
    "evaluation.Scorecard",
    "evaluation.CouncilResult",
    "evaluation.Certificate",
    "evaluation.CouncilMembership",
    "evaluation.OfficialRole",
    "evaluation.ConflictDeclaration",
]


def _forget_todo_counts(sender, raw=False, **kwargs):
    if not raw:
        todo.forget_counts()


for _label in TODO_MODELS:
    post_save.connect(_forget_todo_counts, sender=_label, dispatch_uid=f"todo-save-{_label}")
    post_delete.connect(_forget_todo_counts, sender=_label, dispatch_uid=f"todo-delete-{_label}")
