from __future__ import annotations

import smtplib
from email.message import EmailMessage


class SmtpMailer:
    def __init__(self, host: str) -> None:
        self.host = host

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["To"], message["Subject"] = to, subject
        message.set_content(body)
        with smtplib.SMTP(self.host) as smtp:
            smtp.send_message(message)
