"""Signed iframe URLs for app modules, module conditions, and AP context tokens."""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jirasim.connect import context as ctxvars
from jirasim.connect import tokens
from jirasim.connect.install import PLUGINS_VERSION
from jirasim.connect.qsh import CONTEXT_QSH, qsh

MODULE_KINDS = ("jiraProjectAdminTabPanels", "adminPages", "jiraIssueGlances", "jiraIssueContexts", "generalPages",
                "webPanels")
ISSUE_VIEW_KINDS = ("jiraIssueGlances", "jiraIssueContexts")  # shown on the issue view, as Jira does both
PAGE_TTL = 180
CONTEXT_TTL = 900


def find_module(site, app_key: str, module_key: str):
    """(installation, module kind, module) for an enabled app's module, or None."""
    inst = site.apps.get(app_key)
    if inst is None or not inst.enabled:
        return None
    for kind in MODULE_KINDS:
        module = inst.module(kind, module_key)
        if module is not None:
            return inst, kind, module
    return None


def module_url(module: dict) -> str:
    """The module's URL (glances and issue contexts keep it under `target.url`)."""
    return module.get("url") or (module.get("target") or {}).get("url") or "/"


def signed_url(site, inst, module: dict, user, values: dict[str, str], *, tz=None, loc="en-US") -> str:
    """Absolute app URL with context variables substituted, standard params and a page `jwt` appended."""
    raw = inst.base_url + ctxvars.substitute(module_url(module), values)
    parts = urlsplit(raw)
    params = parse_qsl(parts.query, keep_blank_values=True)
    params += [("xdm_e", site.base_url), ("xdm_c", f"channel-{inst.app_key}__{module.get('key')}"),
               ("cp", ""), ("xdm_deprecated_addon_key_do_not_use", inst.app_key), ("lic", "none"),
               ("cv", PLUGINS_VERSION), ("tz", tz or user.time_zone), ("loc", loc)]
    context = ctxvars.jwt_context(user, _project(values), _issue(values))
    token = tokens.mint_hs256(inst.shared_secret, inst.client_key, qsh("GET", parts.path, params, inst.base_path),
                              sub=user.account_id, context=context, ttl=PAGE_TTL)
    params.append(("jwt", token))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(params), ""))


def context_token(inst, user, values: dict[str, str]) -> str:
    """An `AP.context.getToken()` token: qsh `context-qsh`, `sub` = the user, project/issue context."""
    context = ctxvars.jwt_context(user, _project(values), _issue(values))
    return tokens.mint_hs256(inst.shared_secret, inst.client_key, CONTEXT_QSH,
                             sub=user.account_id, context=context, ttl=CONTEXT_TTL)


def ap_context(values: dict[str, str]) -> dict:
    """What `AP.context.getContext()` answers."""
    ctx = ctxvars.jwt_context(None, _project(values), _issue(values))
    return {"jira": ctx.get("jira", {})}


def _project(values):
    return {"key": values["project.key"], "id": values["project.id"]} if values.get("project.key") else None


def _issue(values):
    return {"key": values["issue.key"], "id": values["issue.id"]} if values.get("issue.key") else None


def conditions_pass(module: dict, kind: str, perms) -> bool:
    """Evaluate the module's conditions with `perms(permission, project_id_or_None) -> bool`."""
    if kind == "jiraProjectAdminTabPanels" and not perms("ADMINISTER_PROJECTS", True):
        return False
    if kind == "adminPages" and not perms("ADMINISTER", None):
        return False
    return all(_condition(c, perms) for c in module.get("conditions") or [])


def _condition(cond: dict, perms) -> bool:
    if "conditions" in cond:  # composite {"and"/"or": ...}
        results = [_condition(c, perms) for c in cond["conditions"]]
        ok = any(results) if str(cond.get("type", "and")).lower() == "or" else all(results)
    else:
        name = cond.get("condition")
        params = cond.get("params") or {}
        if name == "user_is_admin" or name == "user_is_sysadmin":
            ok = perms("ADMINISTER", None)
        elif name == "has_project_permission":
            ok = perms(params.get("permission", "BROWSE_PROJECTS"), True)
        elif name == "can_administer_project" or name == "user_is_project_admin":
            ok = perms("ADMINISTER_PROJECTS", True)
        else:
            ok = True
    return not ok if cond.get("invert") else ok
