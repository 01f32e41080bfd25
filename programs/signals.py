"""Signals higher apps listen to (messages about decisions arrive with notifications)."""

from django.dispatch import Signal

# Sent after an application is accepted, waitlisted or declined and the change committed;
# arguments: application, decision ("accept", "waitlist" or "decline").
application_decided = Signal()

# Sent after a roster import or sync has been applied and committed; argument: district.
roster_applied = Signal()
