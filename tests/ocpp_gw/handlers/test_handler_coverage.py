"""Every charger-initiated message of every version has a default handler with a valid answer."""

from __future__ import annotations

import pytest
from handler_harness import DEFAULT_TABLES, Services, Station
from handler_payloads import SAMPLES

from ocpp_gw.handlers import v21, v201
from ocpp_gw.handlers.base import OCPPVersion
from tests.ocpp_gw.schema_examples import CHARGER_INITIATED

CASES = [(version, action) for version in OCPPVersion for action in sorted(SAMPLES[version])]


@pytest.mark.parametrize("version", list(OCPPVersion))
def test_tables_cover_exactly_the_charger_initiated_messages(version: OCPPVersion) -> None:
    assert set(DEFAULT_TABLES[version]) == CHARGER_INITIATED[version]
    assert set(SAMPLES[version]) == CHARGER_INITIATED[version]
    assert DEFAULT_TABLES[version].version is version


@pytest.mark.parametrize(("version", "action"), CASES, ids=[f"{v.value}-{a}" for v, a in CASES])
async def test_every_handler_answers_schema_valid_and_leaves_a_trace(
    services: Services, version: OCPPVersion, action: str
) -> None:
    await Station(services, version).send(action, SAMPLES[version][action])
    station = await services.state.get_station("CP1")
    if action == "Heartbeat":
        assert station is not None and station.last_heartbeat is not None
    elif action == "GetCertificateChainStatus":
        pass  # answers per certificate; checked in test_handlers_v21
    elif action == "Authorize":
        assert [t.id_token for t in services.authorized] == ["TAG1"]
    else:
        assert services.emitted, f"{action} emitted no event"
        assert all(
            e.charge_point_id == "CP1" and e.version == version.value for e in services.emitted
        )


def test_v21_reuses_the_201_handlers_for_unchanged_messages() -> None:
    for action in CHARGER_INITIATED[OCPPVersion.v201] - {"BootNotification", "DataTransfer"}:
        assert v21.DEFAULTS.actions >= {action}
    assert v21.DEFAULTS.source("TransactionEvent") is v201.DEFAULTS.source("TransactionEvent")
    assert v21.DEFAULTS.source("NotifyReport") is v201.DEFAULTS.source("NotifyReport")
    assert v21.DEFAULTS.source("VatNumberValidation") is not None
    assert v201.DEFAULTS.source("VatNumberValidation") is None
