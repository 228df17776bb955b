"""Where the code to check comes from and how it is fetched under bounds: the workspace, a shallow clone,
the host's tarball, a pipreqs HTTP API; temporary trees removed however the process ends.
"""
