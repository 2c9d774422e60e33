"""Everything that runs in RQ workers."""
