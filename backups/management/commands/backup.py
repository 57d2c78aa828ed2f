from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from backups.backing_up import backup
from backups.content import BackupError


class Command(BaseCommand):
    help = (
        "Write the whole database and both media folders (MEDIA_ROOT, PRIVATE_MEDIA_ROOT) to "
        "one .tar.gz archive, read in one consistent snapshot, with a manifest of the "
        "migrations, each table's rows and digest and each file's SHA-256. Sign-in sessions "
        "are left out: everyone signs in again after a restore. The archive holds password "
        "hashes and private evidence, so it is readable by its owner only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path",
            nargs="?",
            help="The archive to write (…tar.gz), or a folder for "
            "ocop-backup-YYYYmmdd-HHMMSS.tar.gz (default var/backups/).",
        )

    def handle(self, *args, path=None, **options):
        try:
            summary = backup(path, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        if summary.missing:
            self.stderr.write(
                ngettext(
                    "%(count)s file the database refers to is not on disk, so not in the backup:",
                    "%(count)s files the database refers to are not on disk, so not in the backup:",
                    len(summary.missing),
                )
                % {"count": len(summary.missing)}
            )
            for name in summary.missing[:20]:
                self.stderr.write(f"  {name}")
        self.stdout.write(
            _(
                "Backup written to %(path)s: %(rows)s rows in %(tables)s tables and %(files)s "
                "files (%(bytes)s); the archive is %(size)s, made in %(seconds).1f s."
            )
            % {
                "path": summary.path,
                "rows": f"{summary.rows:,}",
                "tables": summary.tables,
                "files": f"{summary.files:,}",
                "bytes": filesizeformat(summary.file_bytes),
                "size": filesizeformat(summary.archive_bytes),
                "seconds": summary.seconds,
            }
        )
