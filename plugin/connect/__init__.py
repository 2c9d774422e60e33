"""The Atlassian Connect protocol: qsh, JWT verify and mint, signed install, tenants. No Flask here."""
