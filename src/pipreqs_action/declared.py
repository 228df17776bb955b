"""Kept so that ``from pipreqs_action.declared import read_declared`` goes on working: the readers now live in
the ``manifests`` package, one module per manifest kind."""

from __future__ import annotations

from pipreqs_action.manifests import read_declared, read_text

__all__ = ["read_declared", "read_text"]
