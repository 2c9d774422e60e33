"""jirasim: a Jira Cloud simulator (several sites in one process) for developing and testing Work Sync."""
from jirasim.store import NoFaults, Site, World

__all__ = ["World", "Site", "NoFaults"]
