"""Per-site host pages: projects, issues, issue view (with app glances), app module pages, AP token minting."""
from __future__ import annotations

from flask import Blueprint, abort, jsonify, redirect, render_template, request

from jirasim import adf
from jirasim.connect import context as ctxvars
from jirasim.connect import iframe
from jirasim.connect import restclient as rest

COOKIE = "jirasim_user_{}"


def humans(site) -> list:
    """The site's human users (app users left out)."""
    return [u for u in site.users.values() if not u.is_app]


def current_user(site):
    """The user picked with the switcher (cookie), else the first human user."""
    people = humans(site)
    wanted = request.cookies.get(COOKIE.format(site.name))
    for user in people:
        if user.account_id == wanted:
            return user
    return people[0] if people else None


def permissions(site, user, project_id=None):
    """`perms(permission, project?)` callable backed by POST /rest/api/3/permissions/check as `user`."""
    cache: dict = {}

    def check(permission: str, project) -> bool:
        key = (permission, bool(project))
        if key not in cache:
            body = {"globalPermissions": [permission]} if not project else {
                "projectPermissions": [{"permissions": [permission], "projects": [int(project_id or 0)]}]}
            try:
                grants = rest.call(site, user, "POST", "/rest/api/3/permissions/check", json=body)
            except rest.RestError:
                grants = {}
            if project:
                cache[key] = any(g.get("permission") == permission and int(project_id or 0) in
                                 [int(p) for p in g.get("projects", [])] for g in grants.get("projectPermissions", []))
            else:
                cache[key] = permission in (grants.get("globalPermissions") or [])
        return cache[key]
    return check


def pages_blueprint(world) -> Blueprint:
    """Blueprint with the human pages of every site."""
    bp = Blueprint("jirasim_pages", __name__)

    def site_or_404(name):
        site = world.sites.get(name)
        if site is None:
            abort(404)
        return site

    def page(site, template, **kw):
        user = current_user(site)
        return render_template(template, site=site, user=user, users=humans(site), error=request.args.get("error"),
                               apps=[i for i in site.apps.values() if i.enabled], **kw)

    def back(url, exc=None):
        return redirect(url + (f"?error={rest.message(exc.body)}" if exc else ""))

    @bp.post("/<site_name>/_user")
    def switch_user(site_name):
        site = site_or_404(site_name)
        response = redirect(request.form.get("next") or f"/{site.name}/")
        response.set_cookie(COOKIE.format(site.name), request.form.get("account_id", ""), path="/", samesite="Lax")
        return response

    @bp.get("/<site_name>/")
    def projects(site_name):
        site = site_or_404(site_name)
        found = rest.call(site, current_user(site), "GET", "/rest/api/3/project/search", params={"maxResults": 100})
        return page(site, "host_projects.html", projects=found.get("values", []))

    @bp.get("/<site_name>/projects/<key>")
    def project(site_name, key):
        site = site_or_404(site_name)
        user = current_user(site)
        proj = rest.call(site, user, "GET", f"/rest/api/3/project/{key}")
        found = rest.call(site, user, "POST", "/rest/api/3/search/jql", json={
            "jql": f"project = {key} ORDER BY created DESC", "maxResults": 100,
            "fields": ["summary", "status", "assignee", "priority", "issuetype"]})
        panels = [(i, m) for i in site.apps.values() if i.enabled
                  for m in i.modules.get("jiraProjectAdminTabPanels") or []]
        return page(site, "host_project.html", project=proj, issues=found.get("issues", []), panels=panels)

    @bp.post("/<site_name>/projects/<key>/issues")
    def create_issue(site_name, key):
        site = site_or_404(site_name)
        fields = {"project": {"key": key}, "summary": request.form.get("summary", ""),
                  "issuetype": {"id": request.form.get("issuetype")}}
        if request.form.get("description"):
            fields["description"] = _document(request.form["description"])
        try:
            created = rest.call(site, current_user(site), "POST", "/rest/api/3/issue", json={"fields": fields})
        except rest.RestError as exc:
            return back(f"/{site.name}/projects/{key}", exc)
        return redirect(f"/{site.name}/browse/{created['key']}")

    @bp.get("/<site_name>/browse/<key>")
    def issue(site_name, key):
        site = site_or_404(site_name)
        user = current_user(site)
        data = rest.call(site, user, "GET", f"/rest/api/3/issue/{key}")
        fields = data.get("fields") or {}
        transitions = rest.call(site, user, "GET", f"/rest/api/3/issue/{key}/transitions").get("transitions", [])
        priorities = rest.call(site, user, "GET", "/rest/api/3/priority")
        proj = fields.get("project") or {}
        values = ctxvars.values(proj.get("key"), proj.get("id"), data.get("key"), data.get("id"))
        perms = permissions(site, user, proj.get("id"))
        panels = {kind: [(i, m, iframe.signed_url(site, i, m, user, values)) for i in site.apps.values() if i.enabled
                         for m in i.modules.get(kind) or [] if iframe.conditions_pass(m, kind, perms)]
                  for kind in iframe.ISSUE_VIEW_KINDS}
        comments = (fields.get("comment") or {}).get("comments", [])
        return page(site, "host_issue.html", issue=data, fields=fields, text=adf.to_text, transitions=transitions,
                    priorities=priorities, comments=comments, glances=panels["jiraIssueGlances"],
                    contexts=panels["jiraIssueContexts"], values=values)

    @bp.post("/<site_name>/browse/<key>/<action>")
    def issue_action(site_name, key, action):
        site = site_or_404(site_name)
        user, form, path = current_user(site), request.form, f"/rest/api/3/issue/{key}"
        try:
            if action == "edit":
                fields = {"summary": form.get("summary", ""), "description": _document(form.get("description")),
                          "labels": [x for x in form.get("labels", "").replace(",", " ").split() if x]}
                if form.get("priority"):
                    fields["priority"] = {"name": form["priority"]}
                rest.call(site, user, "PUT", path, json={"fields": fields})
            elif action == "transition":
                rest.call(site, user, "POST", path + "/transitions", json={"transition": {"id": form["transition"]}})
            elif action == "assign":
                rest.call(site, user, "PUT", path + "/assignee", json={"accountId": form.get("account_id") or None})
            elif action == "comment":
                rest.call(site, user, "POST", path + "/comment", json={"body": _document(form.get("body"))})
            elif action == "attach":
                upload = request.files["file"]
                rest.call(site, user, "POST", path + "/attachments", headers={"X-Atlassian-Token": "no-check"},
                          data={"file": (upload.stream, upload.filename, upload.mimetype)})
            else:
                abort(404)
        except rest.RestError as exc:
            return back(f"/{site.name}/browse/{key}", exc)
        return redirect(f"/{site.name}/browse/{key}")

    @bp.get("/<site_name>/plugins/servlet/ac/<app_key>/<module_key>")
    def module_page(site_name, app_key, module_key):
        site = site_or_404(site_name)
        user = current_user(site)
        found = iframe.find_module(site, app_key, module_key)
        if found is None:
            abort(404)
        inst, kind, module = found
        values = _values(site, user, request.args)
        if not iframe.conditions_pass(module, kind, permissions(site, user, values["project.id"])):
            return page(site, "host_forbidden.html", module=module), 403
        src = iframe.signed_url(site, inst, module, user, values)
        return page(site, "host_module.html", inst=inst, module=module, kind=kind, src=src, values=values)

    @bp.post("/<site_name>/_ap/token")
    def ap_token(site_name):
        site = site_or_404(site_name)
        body = request.get_json(force=True, silent=True) or {}
        inst = site.apps.get(body.get("app_key"))
        if inst is None or not inst.enabled:
            abort(404)
        values = {k: str(body.get(k) or "") for k in ctxvars.values()}
        return jsonify({"token": iframe.context_token(inst, current_user(site), values),
                        "context": iframe.ap_context(values)})

    return bp


def _document(text: str | None) -> dict | None:
    """A form field's text as an ADF document (browsers send CRLF line ends); blank text is no document."""
    text = (text or "").replace("\r\n", "\n")
    return adf.from_text(text) if text.strip() else None


def _values(site, user, args) -> dict[str, str]:
    values = ctxvars.values(args.get("project.key"), args.get("project.id"), args.get("issue.key"),
                            args.get("issue.id"))
    if values["project.key"] and not values["project.id"]:
        try:
            found = rest.call(site, user, "GET", f"/rest/api/3/project/{values['project.key']}")
            values["project.id"] = str(found["id"])
        except rest.RestError:
            pass
    return values
