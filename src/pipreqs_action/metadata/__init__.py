"""Distribution data, offline first: which modules a distribution provides, what it requires (bundled
snapshot, lock files, local projects, the index's JSON API), the standard library of every Python.
"""
