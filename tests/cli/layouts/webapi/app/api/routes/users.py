from fastapi import APIRouter

from app.api.deps import CurrentUser, SessionDep
from app.schemas.user import UserCreate, UserPublic
from app.services import users as user_service

router = APIRouter(tags=["users"])


@router.get("/me", response_model=UserPublic)
def read_user_me(current_user: CurrentUser):
    return current_user


@router.post("/", response_model=UserPublic)
def create_user(session: SessionDep, user_in: UserCreate):
    return user_service.register(session, user_in)
