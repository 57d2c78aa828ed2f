"""Every stored certificate number in the one form the public check looks up.

Until the import normalised numbers it stored them as typed ("ocop h4 lower 1"), and the
public check, which looks up `normalise_number` of what it is given ("OCOPH4LOWER1"),
could never find them. Certificates issued in the system were always in that form. This
rewrites the others.

A number whose normalised form is another certificate's number, or that two stored numbers
share, is left as it is and listed on the console: two certificates that would carry one
number are for an official to sort out, not to merge. Until then the public check finds
only the one already written in that form, if any. History rows keep the number as it was
recorded.
"""

from collections import defaultdict

from django.db import migrations

from core import page_cache

# The live function on purpose, not a copy: what this migration must make true is "every
# stored number is what normalise_number gives for it", for the function the check uses.
from evaluation.verification import normalise_number


def normalise_numbers(apps, schema_editor):
    Certificate = apps.get_model("evaluation", "Certificate")
    numbers = dict(Certificate.objects.values_list("pk", "number"))
    by_form = defaultdict(list)
    for pk, number in numbers.items():
        by_form[normalise_number(number)].append(pk)
    changed, clashes = 0, []
    for form, pks in sorted(by_form.items()):
        if all(numbers[pk] == form for pk in pks):
            continue
        if len(pks) > 1:
            clashes.append((form, sorted(pks)))
            continue
        Certificate.objects.filter(pk=pks[0]).update(number=form)
        changed += 1
    if changed:
        page_cache.changed()  # public pages show the numbers
    if clashes:
        print(
            "\n  Certificate numbers left as stored: each group below would carry one number "
            "once spaces and case are ignored. Correct them by hand: until then the public "
            "check finds only a number already written in that form."
        )
        for form, pks in clashes:
            listed = ", ".join(f"id {pk} “{numbers[pk]}”" for pk in pks)
            print(f"    {form}: {listed}")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluation", "0004_rulebook_terms_from_data_only"),
    ]

    operations = [
        migrations.RunPython(normalise_numbers, migrations.RunPython.noop, elidable=False),
    ]
