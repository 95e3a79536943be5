"""The CDRs module (charge detail records)."""
