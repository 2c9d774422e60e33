"""Worklogs carried between linked pairs (see carry_worklogs)."""
