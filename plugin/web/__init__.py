"""Flask blueprints: descriptor, lifecycle, pages (iframes), api (JSON), webhooks."""
