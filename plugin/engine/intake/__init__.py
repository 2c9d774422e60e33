"""What must be synced: the webhook inbox, the dirty rows and the poll."""
