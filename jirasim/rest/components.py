"""Project components and versions: create or update one (project admins), get one, list a project's."""
from __future__ import annotations

from datetime import date

from jirasim import shapes
from jirasim.errors import JiraError, bad_request, forbidden, not_found
from jirasim.rest.common import body_json, caller, new_blueprint, ok, site, version, world
from jirasim.rest.projects import visible_project
from jirasim.shapes.admin import project_component

ASSIGNEE_TYPES = ("PROJECT_DEFAULT", "COMPONENT_LEAD", "PROJECT_LEAD", "UNASSIGNED")


def _administers(project) -> bool:
    return "ADMINISTER" in site().global_permissions(caller()) or site().can(caller(), "ADMINISTER_PROJECTS", project)


def _project_of(ref, field: str):
    if ref in (None, ""):
        raise bad_request(None, **{field: "The project is required."})
    project = site().project(ref)
    if project is None or not site().can(caller(), "BROWSE_PROJECTS", project):
        raise not_found(f"No project could be found with key or id '{ref}'.")
    return project


def _name(body: dict, taken: list, what: str) -> str:
    name = body.get("name")
    if not isinstance(name, str) or not name.strip():
        raise bad_request(None, name=f"You must specify a valid {what} name")
    if len(name) > 255:
        raise bad_request(None, name=f"The {what} name must not be longer than 255 characters.")
    if any(x.name.lower() == name.strip().lower() for x in taken):
        raise bad_request(None, name=f"A {what} with the name {name.strip()} already exists in this project.")
    return name.strip()


def _date(body: dict, key: str) -> str | None:
    raw = body.get(key)
    if raw in (None, ""):
        return None
    try:
        return date.fromisoformat(str(raw)).isoformat()
    except ValueError:
        raise bad_request(None, **{key: f"Invalid date format. Please enter the date in the format 'yyyy-MM-dd'. "
                                        f"Got '{raw}'."}) from None


def _owner(id: str, kind: str):
    """(project, component or version) with this id that the caller can see, or (None, None)."""
    for project in site().projects.values():
        found = next((x for x in getattr(project, kind) if x.id == id), None)
        if found is not None and site().can(caller(), "BROWSE_PROJECTS", project):
            return project, found
    return None, None


def blueprint():
    """Blueprint of the component and version endpoints."""
    bp = new_blueprint("components")

    @bp.post("/component")
    def create_component():
        body = body_json()
        with world().lock:
            project = _project_of(body.get("project") or body.get("projectId"), "project")
            if not _administers(project):
                raise forbidden("You cannot edit the configuration of this project.")
            name = _name(body, project.components, "component")
            assignee_type = body.get("assigneeType") or "PROJECT_DEFAULT"
            if assignee_type not in ASSIGNEE_TYPES:
                raise bad_request(None, assigneeType=f"The assignee type '{assignee_type}' is not valid.")
            lead = site().user(body.get("leadAccountId")) if body.get("leadAccountId") else None
            if body.get("leadAccountId") and (lead is None or not lead.active):
                raise bad_request(None, leadAccountId=f"The user {body['leadAccountId']} does not exist.")
            component = site().add_component(project, name, body.get("description") or "", lead, assignee_type)
            return ok(project_component(site(), component, version()), 201)

    @bp.get("/component/<id>")
    def get_component(id):
        with world().lock:
            for project in site().projects.values():
                found = next((c for c in project.components if c.id == id), None)
                if found is not None and site().can(caller(), "BROWSE_PROJECTS", project):
                    return ok(project_component(site(), found, version()))
        raise not_found(f"The component with id {id} does not exist.")

    @bp.get("/project/<projectIdOrKey>/components")
    def project_components(projectIdOrKey):
        with world().lock:
            project = visible_project(projectIdOrKey)
            return ok([project_component(site(), c, version()) for c in project.components])

    @bp.post("/version")
    def create_version():
        body = body_json()
        with world().lock:
            project = _project_of(body.get("projectId") or body.get("project"), "projectId")
            if not _administers(project):  # Jira answers 404 here, as for a project the caller cannot see
                raise not_found(f"No project could be found with key or id '{project.id}'.")
            name = _name(body, project.versions, "version")
            for flag in ("released", "archived"):
                if not isinstance(body.get(flag, False), bool):
                    raise JiraError(400, None, {flag: f"'{flag}' must be true or false."})
            created = site().add_version(project, name, body.get("released", False),
                                         description=body.get("description") or "",
                                         archived=body.get("archived", False),
                                         release_date=_date(body, "releaseDate"), start_date=_date(body, "startDate"))
            return ok(shapes.version(site(), created, version()), 201)

    @bp.get("/version/<id>")
    def get_version(id):
        with world().lock:
            for project in site().projects.values():
                found = next((x for x in project.versions if x.id == id), None)
                if found is not None and site().can(caller(), "BROWSE_PROJECTS", project):
                    return ok(shapes.version(site(), found, version()))
        raise not_found(f"Could not find version for id '{id}'")

    @bp.put("/component/<id>")
    def update_component(id):
        body = body_json()
        with world().lock:
            project, found = _owner(id, "components")
            if found is None:
                raise not_found(f"The component with id {id} does not exist.")
            if not _administers(project):
                raise forbidden("You cannot edit the configuration of this project.")
            if "name" in body:
                found.name = _name(body, [c for c in project.components if c is not found], "component")
            if isinstance(body.get("description"), str):
                found.description = body["description"]
            return ok(project_component(site(), found, version()))

    @bp.put("/version/<id>")
    def update_version(id):
        body = body_json()
        with world().lock:
            project, found = _owner(id, "versions")
            if found is None or not _administers(project):  # as on create: 404 to those who cannot administer
                raise not_found(f"Could not find version for id '{id}'")
            if "name" in body:
                found.name = _name(body, [x for x in project.versions if x is not found], "version")
            if isinstance(body.get("description"), str):
                found.description = body["description"]
            for flag in ("released", "archived"):
                if flag in body:
                    if not isinstance(body[flag], bool):
                        raise JiraError(400, None, {flag: f"'{flag}' must be true or false."})
                    setattr(found, flag, body[flag])
            for key, attr in (("releaseDate", "release_date"), ("startDate", "start_date")):
                if key in body:
                    setattr(found, attr, _date(body, key))
            return ok(shapes.version(site(), found, version()))

    @bp.get("/project/<projectIdOrKey>/versions")
    def project_versions(projectIdOrKey):
        with world().lock:
            project = visible_project(projectIdOrKey)
            return ok([shapes.version(site(), x, version()) for x in project.versions])

    return bp
