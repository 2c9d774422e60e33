"""The Forge Remote protocol: Forge Invocation Tokens (FIT) verified against the JWKS, the invocation's context,
app system tokens, installations as tenants and the identity of product events. No Flask, no RQ."""
