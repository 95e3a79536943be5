"""Commands data of OCPI 2.2.1."""
