"""Fixtures for the default-handler tests (the harness is in ``handler_harness``)."""

from __future__ import annotations

import pytest
from handler_harness import Services, Station

from ocpp_gw.handlers.base import OCPPVersion


@pytest.fixture
def services() -> Services:
    return Services()


@pytest.fixture
def cp16(services: Services) -> Station:
    return Station(services, OCPPVersion.v16)


@pytest.fixture
def cp201(services: Services) -> Station:
    return Station(services, OCPPVersion.v201)


@pytest.fixture
def cp21(services: Services) -> Station:
    return Station(services, OCPPVersion.v21)
