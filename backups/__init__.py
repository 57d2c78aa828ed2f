"""Backup and restore of the whole site: every table and every uploaded file, in one archive.

Rows go through Django's serialisers rather than pg_dump or a copy of db.sqlite3, so one
archive restores into SQLite or PostgreSQL alike (a SQLite demo moves to PostgreSQL and
back) and every value passes through its model field's own conversion both ways.

The archive (.tar.gz) holds, in this order:

    data/NNN-<app>.<model>.jsonl   one table: Django's JSON Lines, a row a line, by primary key
    media/<path>                   public photos and thumbnails (MEDIA_ROOT)
    private/<path>                 evidence and compliance papers (PRIVATE_MEDIA_ROOT)
    manifest.json                  created at, migrations, rows and digests per table,
                                   SHA-256 and size of every file

The manifest comes last because it lists each file's SHA-256, computed while the file is
read into the archive: a backup reads every file once. Restore reads the archive twice,
first to check every checksum (nothing is written until the whole archive is sound), then
to load it.

Every table keeps its primary keys, including content types and permissions: restore
replaces the rows a fresh `migrate` made in those two tables (nothing else refers to them
in an empty database) with the backed-up ones, so every reference to a content type
survives as it was, foreign key or not (admin log, generic relations), with no per-row
natural-key look-ups. Sessions are left out (see content.EXCLUDED).

Entry points: backing_up.backup(), restoring.restore(), content.BackupError.
"""
