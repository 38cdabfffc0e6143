import hashlib
import hmac

from app.core.config import settings


def get_password_hash(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


def verify_password(password: str, hashed: str) -> bool:
    return hmac.compare_digest(get_password_hash(password), hashed)


def create_access_token(subject: int) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), str(subject).encode(), "sha256").hexdigest()


def decode_token(token: str) -> dict[str, object]:
    return {"sub": None}
