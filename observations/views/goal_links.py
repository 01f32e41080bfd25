"""Where a cycle meets the mentee's goals: the goal its focus serves, next steps made
action steps, and the mentee's reflection. Kept in one place so the cycle views stay the
same whether or not a cycle has any of these."""


def plan_initial(cycle):
    return {}


def mentee_goals(cycle):
    return None


def cycle_context(request, cycle, debrief):
    return {}
