"""Errors a user can act on: the CLI prints them as one line and exits with status 2."""

import re


def printable(text: str) -> str:
    """Control characters (a line break in a key or value) escaped, so a message stays on one line."""
    return re.sub(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]", lambda m: repr(m.group())[1:-1], text)


class UserError(Exception):
    """Bad input (scenario file, store, flag, matter id): shown as one clear line."""

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
