"""The commands and charging profiles examples of the documentation are executed."""

from __future__ import annotations

from examples import chargingprofiles_example, commands_example


async def test_commands_example() -> None:
    result = await commands_example.main()
    assert result["answer"] == {"result": "ACCEPTED", "timeout": 5}
    assert result["posted"] is True
    assert result["result_at_emsp"] == {"result": "ACCEPTED"}
    assert result["timeout_at_emsp"] == {"result": "TIMEOUT"}


async def test_chargingprofiles_example() -> None:
    result = await chargingprofiles_example.main()
    assert result["answer"]["result"] == "ACCEPTED"
    assert result["result_at_emsp"] == {"result": "ACCEPTED"}
    assert result["active_at_emsp"]["charging_profile"]["charging_rate_unit"] == "W"
    assert (
        result["active_result_at_emsp"]["profile"]["charging_profile"]["charging_profile_period"][
            0
        ]["limit"]
        == 11000.0
    )
