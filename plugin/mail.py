"""Sending e-mail notifications through the configured SMTP server (smtplib; off when SMTP_HOST is unset)."""
from __future__ import annotations

import logging
import smtplib
import ssl
from email.message import EmailMessage

from plugin.settings import SmtpSettings

log = logging.getLogger(__name__)


class MailError(RuntimeError):
    """The SMTP server could not be reached or refused the message."""


class Mailer:
    """Sends plain-text mail with the settings' server; `enabled` is False when no server is configured."""

    def __init__(self, smtp: SmtpSettings | None, timeout: float = 20.0):
        self.smtp = smtp
        self.timeout = timeout

    @property
    def enabled(self) -> bool:
        """True when an SMTP server is configured."""
        return self.smtp is not None

    def send(self, to: str, subject: str, body: str) -> None:
        """Send one message; MailError when it could not be handed to the server."""
        if self.smtp is None:
            raise MailError("no SMTP server is configured (SMTP_HOST)")
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = self.smtp.sender, to, subject
        message.set_content(body)
        try:
            with self._connect(self.smtp) as server:
                if self.smtp.username:
                    server.login(self.smtp.username, self.smtp.password or "")
                server.send_message(message)
        except (OSError, smtplib.SMTPException) as exc:
            raise MailError(f"{self.smtp.host}:{self.smtp.port} did not take the message ({type(exc).__name__})") \
                from None

    def _connect(self, smtp: SmtpSettings) -> smtplib.SMTP:
        if smtp.security == "ssl":
            return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=self.timeout,
                                    context=ssl.create_default_context())
        server = smtplib.SMTP(smtp.host, smtp.port, timeout=self.timeout)
        if smtp.security == "starttls":
            server.starttls(context=ssl.create_default_context())
        return server
