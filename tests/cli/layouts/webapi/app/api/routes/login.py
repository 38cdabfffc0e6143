from fastapi import APIRouter, HTTPException

from app.api.deps import SessionDep
from app.core import security
from app.schemas.token import Token
from app.services import users as user_service

router = APIRouter(tags=["login"])


@router.post("/login/access-token", response_model=Token)
def login_access_token(session: SessionDep, email: str, password: str) -> Token:
    user = user_service.authenticate(session, email=email, password=password)
    if not user:
        raise HTTPException(status_code=400, detail="Incorrect email or password")
    return Token(access_token=security.create_access_token(user.id))
