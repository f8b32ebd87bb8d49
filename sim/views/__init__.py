"""Read models: projections of stored events (docket sheets, outcome rows, narration, stages, tallies and
their estimates)."""
