"""Troubleshooting a synchronization: its checks (analysis), its error rows and what can be done with them (retry,
ignore, resync), the notices (banner and e-mail), the issue glance, and the support bundle. No Flask."""
