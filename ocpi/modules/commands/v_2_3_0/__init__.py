"""Commands data of OCPI 2.3.0."""
