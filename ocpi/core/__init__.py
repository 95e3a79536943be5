"""Core building blocks shared by every OCPI module and version."""
