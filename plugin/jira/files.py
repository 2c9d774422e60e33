"""Attachments streamed between sites: downloaded in chunks (following Jira's redirect to its media store) and
uploaded as a streamed multipart body — never the whole file in memory."""
from __future__ import annotations

from typing import IO

import requests
from requests_toolbelt import MultipartEncoder

from plugin.jira import errors
from plugin.jira.client import JiraClient

CHUNK = 64 * 1024


def download(client: JiraClient, attachment_id: str, sink: IO[bytes]) -> int:
    """Write an attachment's bytes into `sink`; how many were written."""
    url = f"{client.base_url}/rest/api/3/attachment/content/{attachment_id}"
    try:
        with client.session.get(url, stream=True, timeout=client.timeout, allow_redirects=True) as response:
            if response.status_code >= 400:
                raise errors.from_response(response, "download attachment")
            written = 0
            for chunk in response.iter_content(CHUNK):
                sink.write(chunk)
                written += len(chunk)
            return written
    except requests.RequestException as exc:
        raise errors.from_exception(exc, "download attachment") from None


def upload(client: JiraClient, issue_id: str, filename: str, source: IO[bytes], mime_type: str | None) -> list[dict]:
    """Attach `source` to an issue as `filename` (streamed); Jira's answer (the new attachments' metadata)."""
    body = MultipartEncoder(fields={"file": (filename, source, mime_type or "application/octet-stream")})
    headers = {"Content-Type": body.content_type, "X-Atlassian-Token": "no-check", "Accept": "application/json"}
    try:
        response = client.session.post(f"{client.base_url}/rest/api/3/issue/{issue_id}/attachments", data=body,
                                       headers=headers, timeout=client.timeout)
    except requests.RequestException as exc:
        raise errors.from_exception(exc, "add attachment") from None
    if response.status_code >= 400:
        raise errors.from_response(response, "add attachment")
    return response.json()
