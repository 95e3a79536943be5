"""Hub client info data of OCPI 2.2.1 (identical in 2.2.1 and 2.3.0)."""
