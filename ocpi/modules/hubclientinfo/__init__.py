"""The hubclientinfo module: which parties a hub connects, and their connection status."""
