"""The Action's side of GitHub: its inputs, the runner protocol, which events may touch the issue, the one
issue itself, workflow annotations and the pull request's base.
"""
