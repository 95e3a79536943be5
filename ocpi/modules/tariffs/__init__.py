"""The tariffs module."""
