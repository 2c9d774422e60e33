"""People of the simulated sites calling the App JSON API the way our pages do: with a context token from Jira."""
from __future__ import annotations

from urllib.parse import urlencode

import requests

from tests.support.constants import APP_KEY
from tests.support.world import Installed


class ApiUser:
    """A user of one site on one page (a project's settings, or the administration page when `project` is None)."""

    def __init__(self, installed: Installed, site: str, user: str, project: str | None = None):
        self.installed, self.site, self.project = installed, site, project
        self.account = installed.user(site, user)
        self.http = requests.Session()

    @property
    def site_url(self) -> str:
        """The base URL of this user's site."""
        return self.installed.sim.site_url(self.site)

    def project_id(self, key: str) -> str:
        """A project's id on this user's site."""
        return self.installed.site(self.site).project(key).id

    def token(self) -> str:
        """A fresh context token, minted by the simulated Jira as `AP.context.getToken()` does."""
        context = {"app_key": APP_KEY}
        if self.project:
            context.update({"project.key": self.project, "project.id": self.project_id(self.project)})
        response = requests.post(f"{self.site_url}/_ap/token", json=context, timeout=10,
                                 cookies={f"jirasim_user_{self.site}": self.account.account_id})
        assert response.status_code == 200, response.text
        return response.json()["token"]

    def call(self, method: str, path: str, json=None, params=None, headers=None) -> requests.Response:
        """`method /api{path}` with a fresh token (the live app validates the answer against openapi.yaml)."""
        if self.installed.kind(self.site) == "forge":
            return self.invoke_remote(method, path, json, params, headers)
        return self.http.request(method, f"{self.installed.live.base_url}/api{path}", json=json, params=params,
                                 headers={**(headers or {}), "Authorization": f"JWT {self.token()}"}, timeout=30)

    def extension(self) -> dict:
        """The Forge module's `context.extension` of this user's page, as the simulated Jira gives its frame."""
        if not self.project:
            return {"type": "jira:adminPage"}
        project = self.installed.site(self.site).project(self.project)
        return {"type": "jira:projectSettingsPage",
                "project": {"id": str(project.id), "key": project.key, "type": "software"}}

    def invoke_remote(self, method: str, path: str, json=None, params=None, headers=None) -> requests.Response:
        """The call as our Forge Custom UI makes it: `invokeRemote` from the page's frame, which the simulated Jira
        forwards to the remote with a FIT for the cookie's user and the page's extension. The answer is the
        remote's status, Content-Type and body."""
        query = urlencode(params, doseq=True) if params else ""
        body = {"path": f"{self.installed.live.settings.base_path}/api{path}" + (f"?{query}" if query else ""),
                "method": method, "extension": self.extension()}
        if headers:
            body["headers"] = headers
        if json is not None:
            body["body"] = json
        return self.http.post(f"{self.site_url}/_forge/invoke-remote", json=body, timeout=30,
                              cookies={f"jirasim_user_{self.site}": self.account.account_id})

    def get(self, path: str, **params) -> requests.Response:
        """GET /api{path}?params."""
        return self.call("GET", path, params=params or None)

    def post(self, path: str, json=None) -> requests.Response:
        """POST /api{path} with a JSON body."""
        return self.call("POST", path, json=json)

    def patch(self, path: str, json=None) -> requests.Response:
        """PATCH /api{path} with a JSON body."""
        return self.call("PATCH", path, json=json)

    def delete(self, path: str) -> requests.Response:
        """DELETE /api{path}."""
        return self.call("DELETE", path)

    def request_sync(self, partner_project: str, *, partner_site: str | None = None, name: str = "Sync",
                     mode: str = "immediate", project: str | None = None) -> dict:
        """Create a synchronization from this user's project (201 expected); returns it."""
        partner = {"project": partner_project}
        if partner_site:
            partner["site"] = self.installed.sim.site_url(partner_site)
        response = self.post("/synchronizations", {"name": name, "mode": mode, "project": project or self.project,
                                                   "partner": partner})
        assert response.status_code == 201, response.text
        return response.json()
