"""Rows of the permission matrix contributed by each capability: a module here defines WEB and/or
API dicts in the same form as tests/permission_matrix.py, and is merged into it."""
