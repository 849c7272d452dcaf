"""`manage.py check` says what is wrong with the warehouse engine setting before the first request does."""

import sys

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError


def test_the_default_engine_passes(settings):
    call_command("check")


def test_an_unknown_engine_is_named(settings):
    settings.WAREHOUSE_ENGINE = "oracle"
    with pytest.raises(SystemCheckError, match="warehouse.E001.*oracle"):
        call_command("check")


@pytest.mark.parametrize(("url", "library"), [("", "chdb"), ("http://clickhouse:8123", "clickhouse_connect")])
def test_clickhouse_without_its_extra_names_the_extra(settings, monkeypatch, url, library):
    settings.WAREHOUSE_ENGINE = "clickhouse"
    settings.CLICKHOUSE_URL = url
    monkeypatch.setitem(sys.modules, library, None)  # as if not installed (find_spec sees None)
    with pytest.raises(SystemCheckError, match=rf"warehouse.E002.*{library}.*'clickhouse' extra"):
        call_command("check")
