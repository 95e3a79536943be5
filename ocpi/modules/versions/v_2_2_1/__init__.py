"""Versions module, OCPI 2.2.1."""
