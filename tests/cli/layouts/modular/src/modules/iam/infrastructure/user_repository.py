from seedwork.infrastructure.repository import SqlAlchemyRepository

from modules.iam.domain.entities import User
from modules.iam.domain.repositories import UserRepository


class SqlUserRepository(UserRepository, SqlAlchemyRepository):
    model = User
