"""Reading a configuration file as text, with errors that name it."""

from __future__ import annotations

from pathlib import Path

from fitness.domain.errors import ConfigError


def read_config_text(path: Path) -> str:
    """The file's text (UTF-8); a :class:`ConfigError` naming the file if it cannot be read."""
    try:
        # A byte-order mark (some Windows editors write one) is not part of the text.
        return path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError("no such file", str(path)) from None
    except IsADirectoryError:
        raise ConfigError("is a directory, not a file", str(path)) from None
    except UnicodeDecodeError as error:
        raise ConfigError(f"not valid UTF-8 (byte {error.start})", str(path)) from None
    except OSError as error:
        raise ConfigError(f"cannot read: {error.strerror}", str(path)) from None
