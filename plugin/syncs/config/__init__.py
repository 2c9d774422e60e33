"""The configuration of a synchronization: the mapping document, its schema, validation against both sites,
the suggestion, and review-mode drafts."""
