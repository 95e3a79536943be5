"""The bookings module (bookings extension of 2.3.0): bookable locations and their bookings."""
