from fastapi import APIRouter
from modules.iam.application.command.register_user import RegisterUser

router = APIRouter(prefix="/iam")


@router.post("/register")
def register(email: str, password: str):
    return RegisterUser(email=email, password=password)
