"""Database tables by area. Tenant-owned rows carry `tenant_id`; query them through helpers that take the tenant."""
from plugin.models.base import Base, utcnow
from plugin.models.blocks import SiteBlock
from plugin.models.inbox import WebhookDelivery
from plugin.models.links import AttachmentLink, CommentLink, DirtyIssue, InitialSync, IssueLinkMirror, Link, PollCursor
from plugin.models.problems import SyncError, SyncNotice
from plugin.models.syncs import AuditEvent, SyncConfiguration, SyncDraft, Synchronization
from plugin.models.tenants import LifecycleEvent, SeenInstallToken, Tenant

__all__ = ["Base", "utcnow", "Tenant", "LifecycleEvent", "SeenInstallToken", "WebhookDelivery", "Synchronization",
           "SyncConfiguration", "SyncDraft", "AuditEvent", "Link", "DirtyIssue", "PollCursor", "SyncError",
           "CommentLink", "AttachmentLink", "InitialSync", "SyncNotice", "IssueLinkMirror", "SiteBlock"]
