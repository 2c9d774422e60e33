"""The sync engine: read → map → three-way merge → plan → apply. Pure where it can be (no Flask, no RQ, no database):
dataclasses in, a printable plan out; only `apply` talks to Jira."""
