"""Signals for what happens after pairing decisions (messages arrive with notifications)."""

from django.dispatch import Signal

# Sent once approved pairings are committed; arguments: run, pairing_ids. The place for
# the "meet your mentor" email.
pairings_approved = Signal()
# Sent once a change to a pairing is committed (paused, resumed, ended, a rematch asked for
# or answered); arguments: pairing, event (its kind says which). The place for telling the
# coordinators of a rematch request and the pair of a change.
pairing_changed = Signal()
