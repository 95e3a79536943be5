"""Payments data of OCPI 2.3.0 (the module is new in 2.3.0)."""
