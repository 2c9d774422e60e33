"""The configuration document of a synchronization: schema, validation, suggestion, diff, metadata, sides."""
