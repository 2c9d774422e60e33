"""Test support: real services (database, Redis, key server) and properly signed tokens."""
