from sqlalchemy.orm import Session

from app.core.security import get_password_hash, verify_password
from app.models.user import User
from app.repositories import users as user_repository
from app.schemas.user import UserCreate


def register(session: Session, user_in: UserCreate) -> User:
    return user_repository.create(
        session, email=user_in.email, hashed_password=get_password_hash(user_in.password)
    )


def authenticate(session: Session, email: str, password: str) -> User | None:
    user = user_repository.get_by_email(session, email=email)
    if user is None or not verify_password(password, user.hashed_password):
        return None
    return user
