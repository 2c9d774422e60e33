"""The Forge platform side of the simulator: manifest install, FITs and JWKS, system tokens, product events,
scheduled triggers, the product API gateway and Custom UI hosting.

It builds on `jirasim.store` and the base modules only (beside `jirasim.connect`); `jirasim.rest` uses its
`auth` to accept system tokens, and `jirasim.world`/`jirasim.app` assemble it with the rest.
"""
