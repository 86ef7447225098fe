"""Analysis of model runs: metrics from the output tables, figures, and the one writer of image files.

`metrics` holds pure pandas/numpy transforms, `plots` draws figures from DataFrames (never shows or
saves), `colors` defines the colour of each foreign power once, and `figures` writes a run's PNGs.
Nothing here imports the simulation: it reads only the tables a run writes, and the model's vocabulary
(event types, regimes) from the one module of `sim` it may import, the dependency-free `sim.core.vocabulary`.
"""
