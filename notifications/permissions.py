"""Who may see which outbox. Those who manage a program (its coordinators, the district's
admins, the admin of a school's own program) see its messages' subjects, recipients and
states, never their bodies; district admins see the whole district's. A person's own
in-app messages are theirs alone (found through `Message.objects.inbox_of`)."""

import rules

from accounts.permissions import is_district_admin
from programs.permissions import can_manage_program

rules.add_perm("notifications.view_program_outbox", can_manage_program)
rules.add_perm("notifications.view_district_outbox", is_district_admin)
