"""Which parts the site runs on, picked by configuration: one machine or many.

One machine (a district, a demo) needs nothing: a file cache on local disk, sessions in the
database, files on local disk. Several app servers behind a load balancer need what they
share to live outside any one of them: `CACHE_URL` points the cache (kept pages, counts,
throttling budgets) at Redis, `S3_BUCKET` and `S3_PRIVATE_BUCKET` put the files in
S3-compatible object storage. No code outside settings asks which: it uses `caches`,
`storages` and sessions as Django gives them. These are plain functions of the
environment's values, so that each choice is tested without starting anything.
"""

from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

SESSION_ENGINES = {
    # Sessions as rows: shared by every app server through the database, nothing to set up
    # (Django's, read in one plain statement: ocop_site/sessions.py).
    "db": "ocop_site.sessions",
    # Sessions in the shared cache only: no database write per sign-in; lost if Redis is.
    "cache": "django.contrib.sessions.backends.cache",
    # Read from the cache, written through to the database: fast and durable.
    "cached_db": "django.contrib.sessions.backends.cached_db",
}


def caches(cache_url: str, cache_dir: str) -> dict:
    """CACHES for `CACHE_URL`: empty for the file cache in `cache_dir` (one machine: every
    gunicorn worker on it shares the folder), `redis://` or `rediss://` (TLS) for Redis
    through django-redis (several machines), `file:///path` for a file cache elsewhere."""
    scheme = urlsplit(cache_url).scheme if cache_url else "file"
    if scheme == "file":
        location = urlsplit(cache_url).path if cache_url else cache_dir
        if not location:
            raise ImproperlyConfigured(
                "CACHE_URL=file:///… needs a folder, e.g. file:///var/cache/ocop"
            )
        return {
            "default": {
                # Django's file cache lists its folder on every write and culls at random
                # past MAX_ENTRIES; core.filecache.FileCache culls the oldest files and
                # writes in well under a millisecond (docs/architecture.md).
                "BACKEND": "core.filecache.FileCache",
                "LOCATION": location,
                "TIMEOUT": 300,
                "OPTIONS": {"MAX_ENTRIES": 5000},
            }
        }
    if scheme in ("redis", "rediss") and urlsplit(cache_url).hostname:
        return {
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": cache_url,
                "TIMEOUT": 300,
                # Kept values carry this site's prefix, so one Redis may serve two sites.
                "KEY_PREFIX": "ocop",
                "OPTIONS": {
                    # A Redis that stops answering costs a second, never a hung request:
                    # core/caching.py turns the error into a miss and the page is made.
                    "SOCKET_CONNECT_TIMEOUT": 1,
                    "SOCKET_TIMEOUT": 1,
                },
            }
        }
    raise ImproperlyConfigured(
        f"CACHE_URL must be empty (the file cache), file:///folder, redis://host:port/db or "
        f"rediss://host:port/db, not {cache_url!r}"
    )


def session_engine(store: str) -> str:
    try:
        return SESSION_ENGINES[store]
    except KeyError:
        raise ImproperlyConfigured(
            f"SESSION_STORE must be one of {', '.join(SESSION_ENGINES)}, not {store!r}"
        ) from None


def storages(*, debug: bool, s3: dict) -> dict:
    """STORAGES: public media and private papers on local disk, or in two S3 buckets when
    `s3["bucket"]` is set. The private bucket is a different one, never given a public
    policy: its files get no URL (core.s3.S3PrivateStorage) and leave only through the
    views that check who asks, which stream them from the bucket."""
    static = {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if debug
            # Hashed names (app.3f2a1c.css), so WhiteNoise serves them to be kept a year.
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    }
    if not s3.get("bucket"):
        if s3.get("private_bucket"):
            raise ImproperlyConfigured("S3_PRIVATE_BUCKET is set but S3_BUCKET is not: set both.")
        return {
            "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
            "private": {"BACKEND": "core.files.PrivateStorage"},
            "staticfiles": static,
        }
    if not s3.get("private_bucket") or s3["private_bucket"] == s3["bucket"]:
        raise ImproperlyConfigured(
            "S3_PRIVATE_BUCKET must name a second bucket, not S3_BUCKET: evidence and "
            "compliance papers must never sit in the bucket whose files are public."
        )
    common = {
        "endpoint_url": s3.get("endpoint_url") or None,
        "region_name": s3.get("region") or None,
        # Empty: boto3 finds credentials itself (an instance role, ~/.aws, AWS_* variables).
        "access_key": s3.get("access_key") or None,
        "secret_key": s3.get("secret_key") or None,
        # Same name twice: the second is stored beside, never over, the first.
        "file_overwrite": False,
    }
    public = {
        **common,
        "bucket_name": s3["bucket"],
        # Public photos are read by anyone: plain URLs (through S3_MEDIA_DOMAIN, a CDN, if
        # set), the bucket's policy lets anyone read them. No ACL is written per object.
        "querystring_auth": False,
        "custom_domain": s3.get("media_domain") or None,
        "object_parameters": {"CacheControl": "public, max-age=86400"},
    }
    private = {
        **common,
        "bucket_name": s3["private_bucket"],
        "default_acl": "private",
        "querystring_auth": True,
    }
    return {
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": public},
        "private": {"BACKEND": "core.s3.S3PrivateStorage", "OPTIONS": private},
        "staticfiles": static,
    }
