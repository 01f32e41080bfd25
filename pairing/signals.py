"""Signals for what happens after pairing decisions (messages arrive with notifications)."""

from django.dispatch import Signal

# Sent once approved pairings are committed; arguments: run, pairing_ids. The place for
# the "meet your mentor" email.
pairings_approved = Signal()
# Sent once a pairing ended (or was paused or resumed) and the change committed; arguments:
# pairing, event.
pairing_changed = Signal()
