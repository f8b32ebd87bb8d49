"""The procedure's domain: the Matter aggregate, its events, legal-order rules and the rules table.

Pure Python and eventsourcing's Aggregate: no randomness, no I/O, no SimPy.
"""
