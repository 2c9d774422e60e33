"""JiraClient: atlassian-python-api behind a JWT-signing session, with timeouts and typed errors."""
from plugin.jira.client import JiraClient

__all__ = ["JiraClient"]
