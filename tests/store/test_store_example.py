"""``examples/store_example.py`` runs: two store-backed platforms register, pull, unregister."""

from __future__ import annotations

from pathlib import Path

from examples import store_example


async def test_store_example_main() -> None:
    result = await store_example.main()
    assert result["version"] == "2.2.1"
    (location,) = result["pulled"]
    assert (location["country_code"], location["party_id"], location["id"]) == ("NL", "CPO", "LOC1")
    assert location["parking_type"] == "ON_STREET"
    assert location["evses"][0]["connectors"][0]["max_voltage"] == 230
    assert result["cpo_partners"] == [("Example eMSP", "registered", "2.2.1", (("NL", "MSP"),))]
    assert result["remaining"] == []
    # The output shown in docs/store.md.
    docs = (Path(__file__).parents[2] / "docs" / "store.md").read_text()
    assert "\n".join(store_example.report(result)) in docs
