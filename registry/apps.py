from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "registry"
    verbose_name = _("OCOP registry")

    def ready(self):
        from registry import signals  # noqa: F401  (connects the reindexing receiver)

        post_migrate.connect(_ensure_search_index, sender=self)


def _ensure_search_index(sender, using, verbosity=1, **kwargs):
    """After every `migrate`: the full-text index is there and its triggers too (a
    migration that rebuilds the product table on SQLite drops them; registry/fulltext.py)."""
    from django.db import connections

    from registry import fulltext

    connection = connections[using]
    with connection.cursor() as cursor:
        columns = (
            {
                c.name
                for c in connection.introspection.get_table_description(cursor, "registry_product")
            }
            if "registry_product" in connection.introspection.table_names(cursor)
            else set()
        )
    if "search_more" in columns:  # not while migrating back before the index existed
        fulltext.ensure(connection, verbosity)
