"""Issues: create (single and bulk, with an optional transition), get, edit, assign, delete, bulk fetch, changelogs."""
from __future__ import annotations

from flask import request

from jirasim import events, shapes
from jirasim.errors import JiraError, bad_request
from jirasim.rest.auth import browsable_issue, may_override_screens, require
from jirasim.rest.common import (
    body_json,
    caller,
    emit,
    flag,
    int_arg,
    new_blueprint,
    no_content,
    ok,
    site,
    version,
    world,
)
from jirasim.store import changes, screens
from jirasim.store import issues as ops


def _create(body: dict) -> tuple[dict, list[dict]]:
    """Create the issue, then apply the body's transition as Jira does; the CreatedIssue and the payloads."""
    metadata = changes.history_metadata(body)
    issue = ops.create_issue(site(), caller(), body, version())
    payloads = [events.issue_created(site(), caller(), issue,
                                     changes.initial_items(site(), issue, screens.settable(site())))]
    result = shapes.created_issue(site(), issue, version())
    transition = (body or {}).get("transition")
    if isinstance(transition, dict) and transition.get("id") is not None:
        try:
            group, _ = ops.transition_issue(site(), caller(), issue, str(transition["id"]), api_version=version(),
                                            metadata=metadata)
        except JiraError as exc:
            result["transition"] = {"status": exc.status, "errorCollection": exc.body()}
        else:
            payloads.append(events.issue_updated(site(), caller(), issue, group, "issue_generic"))
            result["transition"] = {"status": 200, "errorCollection": {"errorMessages": [], "errors": {}}}
    return result, payloads


def _property_events(issue, properties) -> list[dict]:
    return [events.property_set(site(), caller(), issue, p["key"], p.get("value")) for p in properties or []]


def blueprint():
    """Blueprint of the issue endpoints."""
    bp = new_blueprint("issues")

    @bp.post("/issue")
    def create():
        body = body_json()
        with world().lock:
            result, payloads = _create(body)
        emit(payloads)
        return ok(result, 201)

    @bp.post("/issue/bulk")
    def create_bulk():
        updates = body_json().get("issueUpdates") or []
        if len(updates) > 50:
            raise bad_request("The number of issues to create must not be more than 50.")
        created, errors, payloads = [], [], []
        with world().lock:
            for number, item in enumerate(updates):
                try:
                    result, made = _create(item)
                except JiraError as exc:
                    errors.append({"status": exc.status, "elementErrors": {**exc.body(), "status": exc.status},
                                   "failedElementNumber": number})
                    continue
                created.append(result)
                payloads.extend(made)
        emit(payloads)
        return ok({"issues": created, "errors": errors}, 201 if created else 400)

    @bp.get("/issue/<issueIdOrKey>")
    def get(issueIdOrKey):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            fields = ",".join(request.args.getlist("fields")) or "*all"
            return ok(shapes.issue_bean(site(), issue, version(), fields=fields, expand=request.args.get("expand"),
                                 properties=request.args.getlist("properties"), viewer=caller()))

    @bp.put("/issue/<issueIdOrKey>")
    def edit(issueIdOrKey):
        body = body_json()
        metadata = changes.history_metadata(body)
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            require(site(), caller(), "EDIT_ISSUES", site().projects[issue.project_id],
                    "You do not have permission to edit issues in this project.")
            override = flag("overrideScreenSecurity") and may_override_screens(site(), caller())
            for prop in body.get("properties") or []:
                ops.check_property(prop.get("key"), prop.get("value"))
            group = ops.edit_issue(site(), caller(), issue, body.get("fields") or {}, body.get("update") or {},
                                   version(), metadata=metadata, override_screens=override)
            for prop in body.get("properties") or []:
                issue.properties[prop["key"]] = prop.get("value")
            payloads = _property_events(issue, body.get("properties"))
            if group is not None:
                changed = {i.get("fieldId") for i in group.items}
                payloads.append(events.issue_updated(site(), caller(), issue, group,
                                                     "issue_assigned" if changed == {"assignee"} else "issue_updated"))
            # `expand` applies to the returned issue, as the reference says ("if the returnIssue parameter is true")
            result = shapes.issue_bean(site(), issue, version(), viewer=caller(),
                                       expand=request.args.get("expand")) if flag("returnIssue") else None
        emit(payloads)
        return ok(result) if result is not None else no_content()

    @bp.put("/issue/<issueIdOrKey>/assignee")
    def assign(issueIdOrKey):
        account_id = body_json().get("accountId")
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            project = site().projects[issue.project_id]
            require(site(), caller(), "ASSIGN_ISSUES", project, "You do not have permission to assign issues.")
            if account_id == "-1":  # the project's default assignee, which is "unassigned" here
                account_id = None
            if account_id is not None and not site().can(site().user(account_id), "ASSIGNABLE_USER", project):
                raise bad_request(None, assignee=f"User '{account_id}' cannot be assigned issues.")
            group = ops.edit_issue(site(), caller(), issue, {"assignee": {"accountId": account_id}}, {}, version(),
                                   override_screens=True)
            payloads = [events.issue_updated(site(), caller(), issue, group, "issue_assigned")] if group else []
        emit(payloads)
        return no_content()

    @bp.delete("/issue/<issueIdOrKey>")
    def delete(issueIdOrKey):
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            require(site(), caller(), "DELETE_ISSUES", site().projects[issue.project_id],
                    "You do not have permission to delete issues in this project.")
            removed, links = ops.delete_issue(site(), issue, flag("deleteSubtasks"))
            emission = events.issue_deletion(site(), caller(), removed, links)
        emit(emission.primary)
        emit(emission.secondary, flow=events.SECONDARY)
        return no_content()

    @bp.post("/issue/bulkfetch")
    def bulk_fetch():
        body = body_json()
        refs = body.get("issueIdsOrKeys") or []
        if not refs or len(refs) > 100:
            raise bad_request("issueIdsOrKeys must contain between 1 and 100 issue ids or keys.")
        found, errors = [], []
        with world().lock:
            for ref in refs:
                issue = site().issue(ref)
                if issue is None or not site().can(caller(), "BROWSE_PROJECTS", site().projects[issue.project_id]):
                    errors.append({"id": str(ref), "errorMessage": "Issue does not exist or you do not have "
                                                                   "permission to see it."})
                    continue
                found.append(shapes.issue_bean(site(), issue, version(), fields=body.get("fields") or "*navigable",
                                        expand=body.get("expand"), properties=body.get("properties"),
                                        viewer=caller()))
        return ok({"issues": found, "issueErrors": errors})

    @bp.get("/issue/<issueIdOrKey>/changelog")
    def changelog(issueIdOrKey):
        start, limit = int_arg("startAt", 0), int_arg("maxResults", 100, 100) or 100
        with world().lock:
            issue = browsable_issue(site(), caller(), issueIdOrKey)
            groups = issue.changelog[start:start + limit]
            last = start + limit >= len(issue.changelog)
            body = {"self": request.url, "maxResults": limit, "startAt": start, "total": len(issue.changelog),
                    "isLast": last, "values": [shapes.history(site(), g, version()) for g in groups]}
            if not last:
                body["nextPage"] = shapes.api(site(), version(), f"issue/{issue.key}/changelog?startAt="
                                              f"{start + limit}&maxResults={limit}")
        return ok(body)

    @bp.post("/changelog/bulkfetch")
    def changelog_bulk():
        body = body_json()
        refs = body.get("issueIdsOrKeys") or []
        if not refs or len(refs) > 1000:
            raise bad_request("issueIdsOrKeys must contain between 1 and 1000 issue ids or keys.")
        field_ids = set(body.get("fieldIds") or [])
        limit = min(int(body.get("maxResults") or 1000), 10000)
        offset = int(body.get("nextPageToken") or 0) if str(body.get("nextPageToken") or "0").isdigit() else 0
        entries = []
        with world().lock:
            for ref in dict.fromkeys(str(r) for r in refs):
                issue = site().issue(ref)
                if issue is None or not site().can(caller(), "BROWSE_PROJECTS", site().projects[issue.project_id]):
                    continue
                for group in issue.changelog:
                    shown = shapes.history(site(), group, version())
                    if field_ids:
                        shown["items"] = [i for i in shown["items"] if i.get("fieldId") in field_ids]
                        if not shown["items"]:
                            continue
                    entries.append((issue.id, shown))
        page = entries[offset:offset + limit]
        result = {"issueChangeLogs": []}
        for issue_id, shown in page:
            if not result["issueChangeLogs"] or result["issueChangeLogs"][-1]["issueId"] != issue_id:
                result["issueChangeLogs"].append({"issueId": issue_id, "changeHistories": []})
            result["issueChangeLogs"][-1]["changeHistories"].append(shown)
        if offset + limit < len(entries):
            result["nextPageToken"] = str(offset + limit)
        return ok(result)

    return bp

