"""Sessions as database rows (SESSION_STORE=db), read with one plain statement.

Every signed-in request reads its session first; through the ORM (a queryset built and
compiled for `session_key = %s AND expire_date > now`) that read cost as much Python as
the whole of a scorecard tick's own SQL (issue 17). The statement, the expiry rule and
everything written are Django's database sessions' own: only the read is plain SQL.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def load(self):
        using = router.db_for_read(self.model)
        connection = connections[using]
        table = connection.ops.quote_name(self.model._meta.db_table)
        sql = f"SELECT session_data FROM {table} WHERE session_key = %s AND expire_date > %s"
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: an unknown or expired key is dropped
            return {}
        return self.decode(row[0])
