"""What the law does not allow, as exceptions naming the event, the rule and what was expected."""

from __future__ import annotations


class Unlawful(Exception):
    """An event the law does not allow: names the event, the rule it breaks and what was expected."""

    def __init__(self, event: str, rule: str, expected: str) -> None:
        super().__init__(event, rule, expected)  # SimPy re-raises as type(e)(*e.args)
        self.event, self.rule, self.expected = event, rule, expected

    def __str__(self) -> str:
        return f"{self.event} is unlawful under {self.rule}: expected {self.expected}"


class OutOfOrder(Unlawful):
    """An event out of legal order; names the event and the one it conflicts with."""

    def __init__(self, event: str, other: str, relation: str = "requires") -> None:
        Exception.__init__(self, event, other, relation)
        self.event, self.other, self.relation = event, other, relation
        self.rule, self.expected = "legal order", f"it {relation} {other}"

    def __str__(self) -> str:
        return f"{self.event} is out of legal order: it {self.relation} {self.other}"
