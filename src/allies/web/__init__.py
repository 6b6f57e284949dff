"""Web page and JSON API over the ledger: ``create_app()`` and ``serve()``."""

from .app import create_app, serve

__all__ = ["create_app", "serve"]
