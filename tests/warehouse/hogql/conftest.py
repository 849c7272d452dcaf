"""A catalog with the core tables, one warehouse table and a few views (no database needed)."""

import pytest

from warehouse.catalog import Column, build_catalog

VIEWS = {
    "pageviews": "select event, properties, distinct_id, timestamp from events where event = '$pageview'",
    "pageviews_by_user": "select distinct_id, count() as views from pageviews group by distinct_id",
    "loop_a": "select * from loop_b",
    "loop_b": "select * from loop_a",
    "self_loop": "select * from self_loop",
}


@pytest.fixture
def catalog():
    return build_catalog(
        7,
        warehouse_tables={"stripe.charges": [Column("id", "string"), Column("amount", "integer")]},
        views=dict(VIEWS),
    )
