"""Alembic revisions of the OCPP gateway tables, applied together with the OCPI store's."""
