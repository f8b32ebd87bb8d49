"""The use cases a command runs: runs and resumes, comparisons, forks, calibration, audit, bench, recipes and
scenario authoring."""
