"""The commands module: remote start/stop, reservations and unlock requests to CPOs."""
