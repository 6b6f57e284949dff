"""allies: a dated, sourced record of U.S. alliance statuses."""

from .version import __version__

__all__ = ["__version__"]
