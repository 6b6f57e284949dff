"""Code version (the data version lives in data/manifest.toml)."""

__version__ = "0.3.0"
