"""Test suite package, so helpers import as ``tests.<module>`` (e.g. ``tests.fakegithub``)."""
