"""Errors the CLI shows as one line: bad input (exit status 2) and faults of the environment (exit 1)."""

from sim.literal import printable

__all__ = ["Fault", "ScenarioError", "StoreError", "UserError", "printable"]


class UserError(Exception):
    """Bad input (scenario file, store, flag, matter id): shown as one clear line, exit status 2."""

    def __str__(self) -> str:
        return printable(super().__str__())


class ScenarioError(UserError):
    """A scenario file that cannot be loaded: names the file, the key path and what was expected."""

    def __init__(self, source: str, key: str, message: str) -> None:
        # args keep the parts: SimPy re-raises a process's exception as type(e)(*e.args)
        super().__init__(source, key, message)
        self.source, self.key, self.message = source, key, message

    def __str__(self) -> str:
        text = f"{self.source}: {self.key}: {self.message}" if self.key else f"{self.source}: {self.message}"
        return printable(text)


class StoreError(UserError):
    """A store URL, file or record that cannot be used."""


class Fault(Exception):
    """A fault of the environment (a full disk, a read-only, damaged or unreachable store): one line naming
    the store, exit status 1."""

    def __str__(self) -> str:
        return printable(super().__str__())
