"""Versions module, OCPI 2.1.1."""
