"""What the author meant by the code around an import: guards of every form, version and platform branches,
choices by value, install hints, commented-out imports. Each module makes some imports optional, with a reason.
"""
