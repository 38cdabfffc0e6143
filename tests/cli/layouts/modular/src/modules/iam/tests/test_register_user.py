from modules.iam.application.command.register_user import RegisterUser
from modules.iam.infrastructure.user_repository import SqlUserRepository


def test_registering_a_user(session) -> None:
    assert SqlUserRepository(session)
    assert RegisterUser(email="a@example.com", password="x")
