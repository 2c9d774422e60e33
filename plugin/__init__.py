"""Work Sync: the application core and its web layer."""
