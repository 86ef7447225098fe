"""Model rules: pure functions over numpy arrays whose last axis is the run axis.

Shapes: S states, P powers, G insurgent groups, B blocs, K bases, R runs. Parameters are floats
or arrays of shape (R,) (one value per run), so a whole sample design can run in one pass. No
function here imports Mesa, Hydra or matplotlib, keeps state, or draws random numbers: noise and
uniform draws come in as arguments from the run's own streams (sim.core.rng).
"""
