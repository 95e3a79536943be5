"""OCPI functional modules; each version folder holds that version's data (schemas, enums)."""
