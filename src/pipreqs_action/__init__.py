"""pipreqs-action: keep a Python project's requirements.txt honest."""

from __future__ import annotations

__version__ = "0.1.0"
