"""The evaluation's changes, heard after they are committed.

The evaluation does not know this app exists (it sits below it): every status move writes
one history row (`workflow.transition`), and a certificate is issued or revoked by saving
it (`certificates.issue`, `revoke`), so Django's own post_save signals of those two models
are the one place each event is heard. The work runs once the transaction commits, so a
move that is rolled back tells nobody, and `robust` so that a fault in telling people
is logged and never undoes, nor fails, the move the official asked for.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from evaluation.models import Certificate, DossierStatusChange, FakeReport
from notifications import events

logger = logging.getLogger("notifications")


@receiver(post_save, sender=DossierStatusChange, dispatch_uid="notifications_dossier_moved")
def dossier_moved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(lambda: events.dossier_moved(instance), robust=True)


@receiver(post_save, sender=Certificate, dispatch_uid="notifications_certificate_saved")
def certificate_saved(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    # Only certificates issued here on a dossier: one typed in from paper or imported
    # (no dossier) was issued long ago, and its producer was told then, on paper.
    if created and instance.dossier_id is not None:
        transaction.on_commit(lambda: events.certificate_issued(instance), robust=True)
    if instance.revoked_on is not None:
        # Saved again after revocation (an edit in the admin): the event key makes it once.
        transaction.on_commit(lambda: events.certificate_revoked(instance), robust=True)


@receiver(post_save, sender=FakeReport, dispatch_uid="notifications_fake_reported")
def fake_reported(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        transaction.on_commit(lambda: events.fake_reported(instance.pk), robust=True)
