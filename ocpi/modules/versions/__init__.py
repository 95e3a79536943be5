"""The versions module: ``GET /versions`` and ``GET /{version}/details``."""
