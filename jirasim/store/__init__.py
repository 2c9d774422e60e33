"""In-memory state of the simulator: World, Site and the entity records."""
from jirasim.store.entities import jira_time, now
from jirasim.store.site import Site
from jirasim.store.world import NoFaults, World

__all__ = ["World", "Site", "NoFaults", "jira_time", "now"]
