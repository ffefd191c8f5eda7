"""Alembic's migrations of the bookchat database (run by `storage.Database.upgrade`).

A new revision: `alembic -c storage/migrations/alembic.ini revision --rev-id 0002 -m
"what it does"`, then write its `upgrade()` with `alembic.op` and change
`storage/tables.py` the same way (`tests/test_storage.py` checks they agree).
"""
