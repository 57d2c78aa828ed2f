from django.db import models
from django.utils.translation import gettext_lazy as _


class PublicChange(models.Model):
    """One row per change to public data; the largest id is the public data version.

    The version lives in the database, not the cache: it is written in the same
    transaction as the change it announces, so a cache that cannot be written (a full or
    read-only disk, Redis out of memory) can neither block a revocation nor leave a
    page made before it being served. Rows are only ever added (concurrent writers never
    wait on each other) and old ones pruned; see core/page_cache.py.
    """

    id = models.BigAutoField(primary_key=True)
    at = models.DateTimeField(_("at"), auto_now_add=True)
    # What changed, as a tag (core/page_cache.py: "all", "lists", "product:12", …): a kept
    # page is dropped only by changes to what it shows.
    tag = models.CharField(_("tag"), max_length=64, default="all")

    class Meta:
        indexes = [models.Index(fields=["tag", "id"], name="core_publicchange_tag_idx")]
        verbose_name = _("public data change")
        verbose_name_plural = _("public data changes")

    def __str__(self):
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M:%S}"
