"""Policy workshop mode: teams play the powers, governments and blocs of a scenario turn by turn.

`python -m workshop COMMAND GAME_DIR ...` (see docs/workshop.md). A game is data (game.json):
settings, teams, and for every turn the accepted move files and the facilitator's injects; the
state after any turn is rebuilt by replaying the turns from the start with the same seed.
"""
