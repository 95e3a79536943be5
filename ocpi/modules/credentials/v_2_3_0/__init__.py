"""Credentials, OCPI 2.3.0."""
