from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    PROJECT_NAME: str = "inventory"
    API_V1_STR: str = "/api/v1"
    SECRET_KEY: str = "change-me"
    SQLALCHEMY_DATABASE_URI: str = "sqlite:///./app.db"


settings = Settings()
