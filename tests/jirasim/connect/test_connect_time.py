"""An app reads every datetime in UTC, in REST answers and in webhooks, whoever made the change."""
import requests


def test_an_app_reads_datetimes_in_utc_in_answers_and_webhooks_whoever_wrote(installed_app):
    answer = installed_app.call("GET", "/rest/api/3/issue/ACME-1", {"fields": "created,updated"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["fields"]["created"].endswith("+0000")
    dev = requests.Session()
    dev.auth = ("dev@acme.example.com", "api-token")
    edited = dev.put(f"{installed_app.simulator.site_url('acme')}/rest/api/3/issue/ACME-1",
                     json={"fields": {"summary": "Edited in Kolkata"}}, timeout=10)
    assert edited.status_code == 204, edited.text
    assert dev.get(f"{installed_app.simulator.site_url('acme')}/rest/api/3/issue/ACME-1?fields=updated",
                   timeout=10).json()["fields"]["updated"].endswith("+0530")
    installed_app.flush_webhooks()
    (hook,) = [h for h in installed_app.app.webhooks if h["body"]["webhookEvent"] == "jira:issue_updated"]
    assert hook["body"]["issue"]["fields"]["updated"].endswith("+0000")
