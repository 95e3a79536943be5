"""Credentials, OCPI 2.1.1."""
