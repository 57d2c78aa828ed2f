"""Keep each product's standing in step with its certificates, and drop the public pages
kept for visitors when evaluation data they show changes.

Certificates are on every product page and in the register, with the decision that
issued them: each change says which pages it touches (core/page_cache.py tags). Dossiers,
scorecards, results, councils and targets are left out: no public page shows them (the
public statistics count products and certificates), and a council's day of work must not
empty the cache for every visitor.
"""

from django.db.models import Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from core import page_cache
from evaluation import todo
from evaluation.certificates import sync_standing
from evaluation.models import Certificate, Decision


@receiver(post_save, sender=Certificate, dispatch_uid="evaluation_certificate_standing")
@receiver(post_delete, sender=Certificate, dispatch_uid="evaluation_certificate_standing_delete")
def certificate_changed(sender, instance, raw=False, **kwargs):
    # A certificate edited in the admin (its dates, a revocation typed by hand) changes
    # what the catalogue may show; issue() and revoke() have set it already, so this
    # writes nothing then. Not during loaddata (a restore brings the products' own rows).
    if raw:
        return
    product = instance.product
    sync_standing(product)
    # Every certificate is public: its check page, the product's page, the lists (a
    # product enters or leaves them), the statistics, its producer's other products.
    page_cache.changed(
        page_cache.product_tag(product.pk),
        page_cache.producer_tag(product.producer_id),
        page_cache.LISTS,
    )


@receiver(post_save, sender=Decision, dispatch_uid="evaluation_decision_public_change")
def decision_changed(sender, instance, raw=False, **kwargs):
    # A certificate's check page prints the act that issued or revoked it; the acts of a
    # council's daily work (forwarding, "not recognised") touch no public page.
    if raw:
        return
    products = set(
        Certificate.objects.filter(
            Q(decision=instance) | Q(revocation_decision=instance)
        ).values_list("product_id", flat=True)
    )
    if products:
        page_cache.changed(*(page_cache.product_tag(pk) for pk in products))


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
