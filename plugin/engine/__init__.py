"""The sync engine: everything that makes two issues agree, and where every write to Jira starts.

`core/` is pure (read → map → merge → plan, printable as the preview); `intake/` finds what must be synced; the
passes (runner, creating, initial, carry, maintenance) read Jira, call the core and apply its plan."""
