"""The classroom app: a local Solara web page that drives one InfluenceModel per browser session.

Start it with `python -m app` (see docs/app.md). Model logic stays in `sim`; this package only
composes configurations, steps the model and draws.
"""
