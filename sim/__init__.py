"""The Sahel influence model: the model core (sim.core), its drivers and its commands."""

#: The package's version (pyproject.toml reads it; CHANGELOG.md and CITATION.cff name it).
__version__ = "0.1.0"
