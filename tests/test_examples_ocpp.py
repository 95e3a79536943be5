"""The OCPP gateway examples of the documentation are executed (gateway on 127.0.0.1)."""

from __future__ import annotations

from examples import ocpp_commands, ocpp_connect, ocpp_handlers


async def test_connect_example() -> None:
    result = await ocpp_connect.main()
    assert result == {
        "wrong_password_refused": True,
        "security_profile": 1,
        "version": "1.6",
        "first_boot": "Pending",
        "second_boot": "Accepted",
        "vendor": "OCPP-GW",
    }


async def test_handlers_example() -> None:
    result = await ocpp_handlers.main()
    assert result["heartbeat_interval"] == 120
    assert result["started"] == ["TAG-OK", "TAG-STOLEN"]
    assert result["ended"] == ["Local", "DeAuthorized"]
    assert result["faults"] == 1
    assert result["data_transfer"] == {"status": "Accepted", "data": "pong from CP-7"}
    assert result["energy_wh"] > 0


async def test_commands_example() -> None:
    result = await ocpp_commands.main()
    assert result["change"] == {"status": "Accepted"}
    assert result["remote_start"] == result["remote_stop"] == "Accepted"
    assert result["invalid"] == "OccurrenceConstraintViolation"
    assert result["call_error"] == "NotImplemented"
    assert result["not_connected"] is True
    assert result["via_node_b"]["configurationKey"][0]["value"] == "120"
    assert result["rest_chargers"] == ["CP-1"]
    assert result["rest_clear_cache"] == (200, {"status": "Accepted"})
    assert result["rest_invalid"] == (400, "PropertyConstraintViolation")
