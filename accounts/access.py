"""The access log: who read someone else's sensitive record, and when.

Apps call `record_read` from the view that shows the record, after the permission check,
whenever the reader is not one of the record's own people (its author, or the pair it
belongs to). The log names the kind of record and its number, never its content.
"""

from django.contrib.contenttypes.models import ContentType

from .models import AccessRecord


def record_read(reader, record, *, owner):
    """Write down that `reader` read `record`, which belongs to `owner` (a User). A person
    reading their own record is not logged."""
    district_id = owner.district_id or reader.district_id
    if reader.pk == owner.pk or district_id is None:
        return None
    return AccessRecord.objects.create(
        district_id=district_id, reader=reader, owner=owner,
        record_type=ContentType.objects.get_for_model(record), record_id=record.pk)
