from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from backups.content import BackupError
from backups.restoring import restore


class Command(BaseCommand):
    help = (
        "Restore an archive made by `backup` into a freshly migrated, empty database (run "
        "`migrate` first). Before writing anything it checks that the database holds no data, "
        "that the archive was made at this code's migrations and that every file in it "
        "matches its SHA-256; then it loads every row in one transaction, writes the files "
        "and compares every table and file with the manifest. Sessions are not in backups: "
        "everyone signs in again."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive (.tar.gz) written by `backup`.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Replace everything the database holds, and any file of the same name with "
            "other bytes. The old rows are deleted in the restore's own transaction, so a "
            "restore that fails leaves them as they were.",
        )

    def handle(self, *args, path, force, **options):
        try:
            summary = restore(path, force=force, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            _(
                "Restored %(path)s: %(rows)s rows in %(tables)s tables and %(files)s files "
                "(%(bytes)s) in %(seconds).1f s; every table's rows and every file's SHA-256 "
                "match the backup's manifest."
            )
            % {
                "path": summary.path,
                "rows": f"{summary.rows:,}",
                "tables": summary.tables,
                "files": f"{summary.files:,}",
                "bytes": filesizeformat(summary.file_bytes),
                "seconds": summary.seconds,
            }
        )
