"""Errors a user can act on: the CLI prints them as one line and exits with status 2."""


class UserError(Exception):
    """Bad input (scenario file, store, flag, matter id): shown as one clear line."""


class ScenarioError(UserError):
    """A scenario file that cannot be loaded: names the file, the key path and what was expected."""

    def __init__(self, source: str, key: str, message: str) -> None:
        self.source, self.key = source, key
        super().__init__(f"{source}: {key}: {message}" if key else f"{source}: {message}")


class StoreError(UserError):
    """A store URL, file or record that cannot be used."""
