"""Notifications: what happened that a person must know, in the site and by mail."""
