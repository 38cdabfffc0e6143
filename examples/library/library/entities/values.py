"""Value types shared by the entities and the events."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Isbn:
    value: str

    def __post_init__(self) -> None:
        digits = self.value.replace("-", "")
        if len(digits) != 13 or not digits.isdigit():
            raise ValueError(f"not an ISBN-13: {self.value!r}")


@dataclass(frozen=True)
class MemberId:
    value: int
