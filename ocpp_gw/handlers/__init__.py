"""Default handlers for every charger-initiated message, one module per OCPP version."""
