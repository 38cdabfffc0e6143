import uuid
from dataclasses import dataclass

from seedwork.application.queries import Query, QueryResult

from modules.iam import iam_module
from modules.iam.domain.repositories import UserRepository


@dataclass(frozen=True)
class GetCurrentUser(Query):
    user_id: uuid.UUID


@iam_module.query_handler(GetCurrentUser)
def get_current_user(query: GetCurrentUser, repository: UserRepository) -> QueryResult:
    return QueryResult(payload=repository.get_by_id(query.user_id))
