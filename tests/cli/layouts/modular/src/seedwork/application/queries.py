from dataclasses import dataclass


@dataclass(frozen=True)
class Query:
    pass


@dataclass
class QueryResult:
    payload: object = None
