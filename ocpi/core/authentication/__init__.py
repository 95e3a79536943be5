"""Authentication of OCPI partners (credentials tokens) and of OCPP charging stations."""
