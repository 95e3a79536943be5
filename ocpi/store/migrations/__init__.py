"""Alembic migrations of the built-in store (applied with :func:`ocpi.store.upgrade`)."""
