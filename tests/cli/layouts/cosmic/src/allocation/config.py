import os


def get_postgres_uri() -> str:
    host = os.environ.get("DB_HOST", "localhost")
    return f"postgresql://allocation:abc123@{host}:5432/allocation"


def get_api_url() -> str:
    return f"http://{os.environ.get('API_HOST', 'localhost')}:5005"


def get_redis_host_and_port() -> dict[str, object]:
    return {"host": os.environ.get("REDIS_HOST", "localhost"), "port": 6379}
