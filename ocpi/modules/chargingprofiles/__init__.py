"""The chargingprofiles module: smart-charging limits sent to a session via the CPO."""
