import abc
import smtplib

from allocation import config

DEFAULT_HOST = config.get_api_url()


class AbstractNotifications(abc.ABC):
    @abc.abstractmethod
    def send(self, destination: str, message: str) -> None: ...


class EmailNotifications(AbstractNotifications):
    def __init__(self, smtp_host: str = "localhost", port: int = 25) -> None:
        self.server = smtplib.SMTP(smtp_host, port=port)

    def send(self, destination: str, message: str) -> None:
        self.server.sendmail(
            from_addr="allocations@example.com", to_addrs=[destination], msg=message
        )
