"""Which imports name the project's own code, resolved as Python does when its scripts and notebooks run:
sibling modules, enclosing folders, sys.path additions, notebook working folders, clones a README makes.
"""
