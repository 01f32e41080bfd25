"""Search over the library, on PostgreSQL and on SQLite alike.

Each resource keeps a stored search column, rebuilt by the services from its search
document whenever they write it (`Resource.objects.refresh_search()`):
- PostgreSQL: a weighted tsvector (title A, summary B, everything else D) with a GIN index
  (migration 0002). Matching reads the index; ranking reads the stored vector, so no row's
  text is parsed again at query time.
- SQLite (the quick start): the same column is plain text, the document in lower case, and
  every word typed must occur in it.
"""

from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorField,
)
from django.db import connection, models
from django.db.models.functions import Lower

SEARCH_CONFIG = "english"
MAX_WORDS = 10


class SearchDocumentField(SearchVectorField):
    """A tsvector column on PostgreSQL and a text column elsewhere, so the model stays
    portable. The full-text lookup (`search_vector=SearchQuery(...)`) only runs on
    PostgreSQL; `match` below picks the right query for the database."""

    description = "Search document (tsvector on PostgreSQL, text elsewhere)"

    def db_type(self, connection):
        return "tsvector" if connection.vendor == "postgresql" else "text"


def search_vector_expression():
    """What the stored column holds, computed in the database from the row itself."""
    if connection.vendor == "postgresql":
        return (SearchVector("title", config=SEARCH_CONFIG, weight="A")
                + SearchVector("summary", config=SEARCH_CONFIG, weight="B")
                + SearchVector("search_document", config=SEARCH_CONFIG, weight="D"))
    return Lower("search_document")


def match(queryset, text):
    """`queryset` narrowed to what matches `text`, annotated with `rank` (higher first)."""
    text = " ".join(text.split())
    if not text:
        return queryset.annotate(rank=models.Value(0.0, output_field=models.FloatField()))
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return queryset.filter(search_vector=query).annotate(
            rank=SearchRank(models.F("search_vector"), query))
    for word in text.split()[:MAX_WORDS]:
        queryset = queryset.filter(search_vector__contains=word.lower())
    return queryset.annotate(rank=models.Value(0.0, output_field=models.FloatField()))
