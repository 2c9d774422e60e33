"""The Runtime: the long-lived objects of one process (web or worker). No Flask: `plugin.web.context` holds the
request-scoped accessors."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from plugin import metrics
from plugin.config.metadata import MetadataCache
from plugin.config.sides import Sides
from plugin.connect.install_keys import InstallKeys
from plugin.connect.secretbox import SecretBox
from plugin.connect.tenants import shared_secret
from plugin.db import make_engine, make_session_factory
from plugin.engine.people import PeopleCache
from plugin.engine.tools import Tools
from plugin.engine.workflow import WorkflowGraphs
from plugin.errors import AuthError, TokenExpired
from plugin.forge.impersonation import Refused, UserTokens
from plugin.forge.installations import system_token
from plugin.forge.jwks import Jwks
from plugin.guard import Guard
from plugin.jira import JiraClient
from plugin.jira.auth import BearerAuth
from plugin.mail import Mailer
from plugin.models import Tenant
from plugin.models.tenants import KIND_FORGE
from plugin.queue import Queues
from plugin.settings import Settings
from plugin.syncs.names import DisplayNames
from plugin.syncs.permissions import Permissions


@dataclass
class Runtime:
    """Settings, database engine and sessions, secret box, install keys and queues of one process."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    secrets: SecretBox
    install_keys: InstallKeys
    queues: Queues
    permissions: Permissions = field(init=False)
    names: DisplayNames = field(init=False)
    sides: Sides = field(init=False)

    def __post_init__(self) -> None:
        self.permissions = Permissions(self.jira)
        self.names = DisplayNames(self.jira)
        self.sides = Sides(self.jira, MetadataCache(shared=lambda: self.queues.redis))

    @classmethod
    def build(cls, settings: Settings) -> "Runtime":
        """Everything a web process or a worker needs, built from the settings (no I/O yet)."""
        engine = make_engine(settings.database_url)
        return cls(settings=settings, engine=engine, sessions=make_session_factory(engine),
                   secrets=SecretBox(settings.secret_key), install_keys=InstallKeys(settings.install_keys_url),
                   queues=Queues(settings))

    def jira(self, tenant: Tenant) -> JiraClient:
        """The JiraClient that acts as our app on `tenant`'s site (the only place one is built): signed for a
        Connect site, borne with the app system token against the apiBaseUrl for a Forge installation."""
        if tenant.kind == KIND_FORGE:
            assert tenant.api_base_url, "a Forge tenant always has its apiBaseUrl"
            return JiraClient(tenant.api_base_url, auth=BearerAuth(self._system_token(tenant)),
                              timeout=self.settings.jira_timeout, observer=self._limits_said)
        return JiraClient(tenant.base_url, self.settings.app_key, shared_secret(tenant, self.secrets),
                          timeout=self.settings.jira_timeout, observer=self._limits_said)

    def jira_as(self, tenant: Tenant, account_id: str) -> JiraClient | str:
        """A JiraClient that acts as the person `account_id` on `tenant`'s site (Forge offline user impersonation,
        its token asked for again before each request once the kept one runs out), or why there is none: a
        Connect site has no such exchange, and the gateway may refuse it (its message)."""
        if tenant.kind != KIND_FORGE:
            return f"{tenant.base_url} is a Connect site: Jira logs work only as the caller there"
        assert tenant.api_base_url and tenant.installation_id and tenant.cloud_id, "a Forge tenant has all three"
        installation, cloud, base = tenant.installation_id, tenant.cloud_id, tenant.api_base_url
        system, tokens = self._system_token(tenant), self.user_tokens
        found = tokens.token(installation, cloud, base, system, account_id)
        if isinstance(found, Refused):
            return f"Jira on {tenant.base_url} would not let Work Sync act as them: {found.reason}"

        def token() -> str:
            again = tokens.token(installation, cloud, base, system, account_id)
            if isinstance(again, Refused):
                raise AuthError(f"Jira on {tenant.base_url} no longer lets Work Sync act as {account_id}: "
                                f"{again.reason}", site=tenant.base_url)
            return again

        return JiraClient(base, auth=BearerAuth(token), timeout=self.settings.jira_timeout,
                          observer=self._limits_said)

    @cached_property
    def user_tokens(self) -> UserTokens:
        """The person tokens of Forge offline user impersonation, kept in this process."""
        return UserTokens(timeout=self.settings.jira_timeout)

    def _limits_said(self, site: str, quotas: list, near: bool) -> None:
        """What an answer said of Jira's limits: into the guard (budgets, slowing down) and /metrics."""
        self.tools.guard.observe(site, quotas, near)
        metrics.quota(site, quotas)

    def _system_token(self, tenant: Tenant) -> Callable[[], str]:
        """The token source of a Forge tenant: the token as loaded, else the newest stored one (an invocation may
        have brought one since), else TokenExpired (the job waits)."""
        loaded = Tenant(base_url=tenant.base_url, system_token_encrypted=tenant.system_token_encrypted,
                        system_token_expires_at=tenant.system_token_expires_at)
        tenant_id, box, sessions = tenant.id, self.secrets, self.sessions

        def token() -> str:
            try:
                return system_token(loaded, box)
            except TokenExpired:
                with sessions() as session:
                    stored = session.get(Tenant, tenant_id)
                    if stored is None:
                        raise
                    loaded.system_token_encrypted = stored.system_token_encrypted
                    loaded.system_token_expires_at = stored.system_token_expires_at
                return system_token(loaded, box)

        return token

    @cached_property
    def tools(self) -> Tools:
        """What syncing needs (workers and the preview): sessions, Jira, metadata, workflows, people, guards."""
        return Tools(sessions=self.sessions, jira_for=self.jira, jira_as=self.jira_as, sides=self.sides,
                     graphs=WorkflowGraphs(), people=PeopleCache(), guard=Guard(lambda: self.queues.redis))

    @cached_property
    def forge_keys(self) -> Jwks:
        """The public keys of Forge Invocation Tokens (FORGE_JWKS_URL, cached)."""
        return Jwks(self.settings.forge_jwks_url)

    @cached_property
    def mailer(self) -> Mailer:
        """E-mail notifications (disabled unless SMTP_HOST is set)."""
        return Mailer(self.settings.smtp)

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

