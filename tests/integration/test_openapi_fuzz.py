"""Schemathesis over every operation of /api/openapi.json, against the live app and the simulator, with a valid
context token: no 5xx, no answer the document does not describe (status, content type, schema), invalid input
refused, valid input accepted, and 405 with Allow for methods a path does not offer. Bounded in examples and time."""
from __future__ import annotations

import json
import subprocess
import sys

import requests

from tests.support.api import ApiUser
from tests.support.browser import on_one_database

pytestmark = on_one_database()  # the contract is the API's; one database keeps the run near a minute and a half

MAX_EXAMPLES = 8
MAX_SECONDS = 75
CHECKS = ("not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,"
          "negative_data_rejection,positive_data_acceptance,unsupported_method,ignored_auth")


def _seed(installed) -> dict:
    """A synchronization acme:ACME ↔ globex:GLOBEX, accepted (immediate mode: version 1), that the path ids name."""
    pat = ApiUser(installed, "acme", "pat", project="ACME")
    sync = pat.request_sync("GLOBEX", partner_site="globex", name="Fuzzed")
    accepted = ApiUser(installed, "globex", "pat", project="GLOBEX").post(f"/synchronizations/{sync['id']}/accept")
    assert accepted.status_code == 200, accepted.text
    spare = pat.request_sync("SUP", name="Deleted by the fuzzer")  # DELETE takes this one, not the one above
    return {"pat": pat, "sync": sync, "spare": spare}


def test_every_operation_agrees_with_the_document(installed, tmp_path):
    seeded = _seed(installed)
    config = tmp_path / "schemathesis.toml"
    config.write_text(f'[parameters]\n"path.id" = "{seeded["sync"]["id"]}"\n\n'
                      '[[operations]]\ninclude-name = "DELETE /api/synchronizations/{id}"\n'
                      f'parameters = {{ "path.id" = "{seeded["spare"]["id"]}" }}\n\n'
                      # Schema-valid input may still name what does not exist or does not fit (422), never 400
                      '[checks.positive_data_acceptance]\n'
                      'expected-statuses = ["2xx", "401", "403", "404", "409", "422", "429"]\n')
    report = tmp_path / "report.json"
    command = [sys.executable, "-m", "schemathesis.cli", "--config-file", str(config), "run",
               f"{installed.live.base_url}/api/openapi.json", "--url", installed.live.base_url,
               "-H", f"Authorization: JWT {seeded['pat'].token()}", "--checks", CHECKS,
               "--max-examples", str(MAX_EXAMPLES), "--max-time", str(MAX_SECONDS), "--seed", "20",
               "--phases", "examples,coverage,fuzzing", "--workers", "1", "--request-timeout", "20",
               "--no-shrink", "--suppress-health-check", "all", "--warnings", "off",
               "--report", "json", "--report-json-path", str(report)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=MAX_SECONDS + 90, cwd=tmp_path)
    assert requests.get(f"{installed.live.base_url}/api/openapi.json", timeout=10).status_code == 200
    print(done.stdout, done.stderr)  # every failure, with a curl line that reproduces it
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert json.loads(report.read_text()) is not None
