"""Data already stored, brought in line with the five-star path of Decision 26/2026.

1. A dossier a lower level sent up was created as an "upgrade": the producer's own
   application to raise an OCOP product's stars (Điều 6 khoản 1 điểm b). It is the same
   application carried on, so it takes the kind of the dossier it came from.
2. The rulebooks' levels gain the keys the decision rules now read
   (`certificate_on_forward`, `recognises_at_forward_score`, `recognises_after_upper_below`,
   `revokes`); `manage.py load_rulebooks` writes the same from the files, but a database
   whose rulebooks were loaded earlier must not run on the old reading meanwhile. The values
   are written here as they stood when this migration was made, as a migration must.

Existing certificates are untouched: they keep their numbers and dates and have no recorded
decision, which the pages say plainly.
"""

from django.db import migrations

LEVEL_KEYS = {
    "qd26-2026": {
        "commune": {"certificate_on_forward": False},
        "province": {
            "revokes": [3, 4],
            "certificate_on_forward": False,
            "recognises_at_forward_score": False,
            "recognises_after_upper_below": True,
        },
        "central": {"revokes": [5]},
    },
    "qd148-2023": {
        "district": {
            "certificate_on_forward": True,
            "recognises_at_forward_score": True,
            "recognises_after_upper_below": False,
        },
        "province": {
            "certificate_on_forward": True,
            "recognises_at_forward_score": True,
            "recognises_after_upper_below": False,
        },
    },
}


def forward(apps, schema_editor):
    Dossier = apps.get_model("evaluation", "Dossier")
    for dossier in Dossier.objects.filter(forwarded_from__isnull=False).select_related(
        "forwarded_from"
    ):
        # Follow the chain down to the producer's own application (central ← city ← district).
        origin = dossier.forwarded_from
        while origin.forwarded_from_id is not None:
            origin = origin.forwarded_from
        if dossier.kind != origin.kind:
            Dossier.objects.filter(pk=dossier.pk).update(kind=origin.kind)

    Rulebook = apps.get_model("evaluation", "Rulebook")
    for code, levels in LEVEL_KEYS.items():
        rulebook = Rulebook.objects.filter(code=code).first()
        if rulebook is None:
            continue
        changed = [
            {**level, **{k: v for k, v in levels.get(level["code"], {}).items() if k not in level}}
            for level in rulebook.levels
        ]
        if changed != rulebook.levels:
            rulebook.levels = changed
            rulebook.save(update_fields=["levels"])


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0005_decisions")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
