"""Private papers in S3-compatible object storage (several app servers share them).

Loaded only when settings name it (S3_PRIVATE_BUCKET, ocop_site/backends.py), so a site on
local disk needs neither boto3 nor a bucket. Like core.files.PrivateStorage it gives no URL:
a paper leaves only through a view that checked who asks (core.downloads), which reads it
from the bucket. The bucket stays private (no public policy, objects written "private").
"""

from storages.backends.s3 import S3Storage


class S3PrivateStorage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        raise ValueError("Private files have no public URL; serve them through a checked view.")
