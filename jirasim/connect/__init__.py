"""The Connect host side of the simulator: key server, signed install, app JWT auth and scopes, webhooks, host pages.

It builds on `jirasim.store` only (beside `jirasim.shapes` and `jirasim.events`); `jirasim.rest` uses its
`auth` to accept app JWTs, and `jirasim.world`/`jirasim.app` assemble it with the rest.
"""
