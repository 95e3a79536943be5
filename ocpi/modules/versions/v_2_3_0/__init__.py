"""Versions module, OCPI 2.3.0 (same shapes as 2.2.1)."""
