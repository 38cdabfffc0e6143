from dataclasses import dataclass

from seedwork.application.commands import Command, CommandResult

from modules.iam import iam_module
from modules.iam.domain.entities import User
from modules.iam.domain.repositories import UserRepository


@dataclass(frozen=True)
class RegisterUser(Command):
    email: str
    password: str


@iam_module.command_handler(RegisterUser)
def register_user(command: RegisterUser, repository: UserRepository) -> CommandResult:
    user = User(email=command.email, password_hash=str(hash(command.password)))
    repository.add(user)
    return CommandResult(entity_id=user.id)
