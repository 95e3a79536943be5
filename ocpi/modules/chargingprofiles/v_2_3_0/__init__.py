"""Charging profile data of OCPI 2.3.0 (identical in 2.2.1 and 2.3.0)."""
