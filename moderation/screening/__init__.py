"""Risk screening: a pure engine (normalise, match, weigh context) plus the Django app
that stores its rules."""
