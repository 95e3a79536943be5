"""Credentials, OCPI 2.2.1."""
