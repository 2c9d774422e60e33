"""Fixtures for the simulator's own tests: running simulators, authenticated sessions, the reference OpenAPI."""
from __future__ import annotations

import re

import pytest
import requests

from jirasim.testing import RunningSimulator, running_simulator
from tests.support import reference


@pytest.fixture(scope="module")
def shared_simulator():
    """A simulator with sample sites acme and globex on a loopback port, shared by the tests of one module."""
    with running_simulator(("acme", "globex")) as running:
        yield running


@pytest.fixture
def simulator():
    """A fresh simulator with sample sites acme and globex on a loopback port, for one test."""
    with running_simulator(("acme", "globex")) as running:
        yield running


def session_for(simulator: RunningSimulator, site_name: str, email_user: str) -> requests.Session:
    """A requests session with Basic auth as the person of the site whose e-mail starts with `{email_user}@`."""
    site = simulator.site(site_name)
    person = next(u for u in site.users.values() if u.email.startswith(email_user + "@"))
    session = requests.Session()
    session.auth = (person.email, "api-token")
    session.headers["Accept"] = "application/json"
    session.base = simulator.site_url(site_name)
    return session


@pytest.fixture
def alice(shared_simulator):
    """Alice Admin on acme of the shared simulator (site admin)."""
    return session_for(shared_simulator, "acme", "alice")


@pytest.fixture
def dev(shared_simulator):
    """Dev Eloper on acme of the shared simulator (plain user)."""
    return session_for(shared_simulator, "acme", "dev")


@pytest.fixture(scope="session")
def openapi():
    """The reference Jira Cloud OpenAPI description, loaded once (it is large)."""
    from openapi_core import Config, OpenAPI
    # The reference file itself has schema defaults outside their enums, so the spec is not self-validated.
    # Jira writes date-times as `2026-11-29T04:40:02.123+0000` (no colon in the offset) where the file says
    # `date-time`; accept exactly that form besides RFC 3339.
    config = Config(spec_validator_cls=None, extra_format_validators={"date-time": _jira_datetime})
    return OpenAPI.from_dict(reference.jira_openapi(), config=config)


def _jira_datetime(value) -> bool:
    if not isinstance(value, str):
        return True
    return bool(re.match(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$", value))
