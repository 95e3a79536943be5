"""Commands data of OCPI 2.1.1."""
