"""The pure core of the engine: model, values, mapping, merge, plan, comments, ADF (no I/O, no database, no Jira)."""
