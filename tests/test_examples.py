"""Every runnable example is executed, so the docs that include them cannot rot."""

from __future__ import annotations

from examples import embed, quickstart, register


async def test_quickstart() -> None:
    result = await quickstart.main()
    assert [v["version"] for v in result["versions"]["data"]] == ["2.2.1", "2.3.0"]
    assert result["details"]["data"]["endpoints"][0]["identifier"] == "credentials"


async def test_embed() -> None:
    mounted, included = await embed.main()
    assert mounted == "https://service.example.com/roaming/ocpi/2.2.1/details/"
    assert included == "https://service.example.com/partners/ocpi/2.2.1/details/"


async def test_register() -> None:
    result = await register.main()
    assert result == {"version": "2.2.1", "cpo_partners_after": 0}
