"""Bookings data of the OCPI 2.3.0 bookings extension."""
