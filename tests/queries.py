"""Counting the queries a page costs, for the tests that compare small and large data."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(client, url):
    """The queries one GET of `url` runs, streamed answers (exports) read to the end."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
        assert response.status_code == 200
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
    return len(queries)
