"""Reading an untrusted tree safely: which files, their bytes decoded as CPython does, notebooks as Python,
git's index and ignore rules, and the small syntax helpers the rules share.
"""
