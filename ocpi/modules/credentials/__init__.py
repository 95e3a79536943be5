"""The credentials module: registration, token rotation, version switch and unregistration."""
