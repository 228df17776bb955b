"""Which code is the application's and which is secondary (examples, tooling, tests, vendored copies,
a library's optional integrations, helpers nothing runs), and where a monorepo's projects are.
"""
