"""Lookups every program page shares: 404 for anything outside the reader's scope."""

from django.shortcuts import get_object_or_404

from ..models import Group, Program


def program_for(user, pk):
    """The program, if this person may see it at all."""
    programs = Program.objects.visible_to(user).select_related("school", "district")
    return get_object_or_404(programs, pk=pk)


def group_for(user, program, pk):
    """A group of the program, if this person manages the program or belongs to the group."""
    return get_object_or_404(Group.objects.visible_to(user, program), pk=pk)
