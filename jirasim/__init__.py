"""jirasim: a Jira Cloud simulator (several sites in one process) for developing and testing Work Sync.

Layers, each importing only those below it (see docs/jirasim.md): `store` → `shapes` → `events` → `rest`,
with the Connect host (`connect`) on `store` beside shapes and events; `world`, `app`, `control`, `sample`,
`testing` and the command-line entry points on top.
"""
