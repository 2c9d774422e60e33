"""`make demo` (`python -m demo`): the Jira Cloud simulator with two sites, the app and a worker, the app installed
into both sites. It uses both the simulator and the app and belongs to neither: nothing imports it, and neither
distribution carries it."""
