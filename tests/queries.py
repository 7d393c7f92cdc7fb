"""Counting the queries of one page: key pages take a fixed number whatever the data size."""
from django.db import connection
from django.test.utils import CaptureQueriesContext


def page_queries(client, url: str) -> int:
    """Queries of one GET that must answer 200, in the steady state: a GET of the same page first
    (a session is saved at most once a minute; the first request after a login saves it)."""
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
    return len(ctx.captured_queries)
