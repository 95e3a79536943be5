"""Bridge from OCPP transactions to OCPI Sessions and CDRs (tariff engine and helpers)."""
