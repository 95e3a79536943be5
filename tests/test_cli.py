"""``ocpi-ocpp`` end to end: real server processes on the SQLite default, real HTTP and WebSockets.

The shell commands come from ``docs/standalone.md`` and ``docs/bridge.md`` and run exactly as
written there (through bash, with ``ocpi-ocpp`` on the ``PATH`` and the documented environment
variables; ports are free ones); a test fails when a command it runs is not in its page any more.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from websockets.exceptions import InvalidStatus

from ocpp_gw.simulator import SimulatedStation
from ocpp_gw.state import TransactionState
from ocpp_gw.store import create_gateway_store
from tests.ocpp_gw.store.gateway_store_support import PG_URL, pg_execute

ROOT = Path(__file__).resolve().parent.parent
DOC = (ROOT / "docs" / "standalone.md").read_text()
BRIDGE_DOC = (ROOT / "docs" / "bridge.md").read_text()
BIN = Path(sys.executable).parent


def _commands(page: str) -> set[str]:
    return {
        line.strip()
        for block in re.findall(r"```bash\n(.*?)```", page, flags=re.S)
        for line in block.splitlines()
        if line.strip()
    }


#: The commands of each page, by file name.
PAGES = {"standalone.md": _commands(DOC), "bridge.md": _commands(BRIDGE_DOC)}


def documented(command: str, page: str = "standalone.md") -> str:
    assert command in PAGES[page], f"not in docs/{page}: {command}"
    return command


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def environment(port: int, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("OCPI_OCPP_", "OCPP_", "OCPI_HOST"))
    }
    script_dir = str(BIN) if (BIN / "ocpi-ocpp").exists() else ""
    assert script_dir, "the ocpi-ocpp console script is not installed next to this Python"
    env["PATH"] = f"{script_dir}{os.pathsep}{env.get('PATH', '')}"
    env["OCPI_OCPP_PORT"] = str(port)
    env.update(extra)
    return env


def run(
    command: str,
    cwd: Path,
    env: dict[str, str],
    timeout: float = 30,
    page: str = "standalone.md",
) -> str:
    """Run a documented command to completion; its output, or a failure with the output."""
    done = subprocess.run(
        ["bash", "-c", documented(command, page)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def run_together(
    *commands: tuple[str, Path, dict[str, str]], page: str = "standalone.md"
) -> list[str]:
    """Run independent documented commands at the same time (each CLI start costs ~1 s)."""
    started = [
        subprocess.Popen(
            ["bash", "-c", documented(command, page)],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command, cwd, env in commands
    ]
    outputs = []
    for (command, _, _), process in zip(commands, started, strict=True):
        out, err = process.communicate(timeout=30)
        assert process.returncode == 0, f"{command} failed:\n{out}\n{err}"
        outputs.append(out)
    return outputs


class Server:
    """``ocpi-ocpp serve ...`` as a child process, its output collected by a thread."""

    def __init__(
        self, command: str, cwd: Path, env: dict[str, str], page: str = "standalone.md"
    ) -> None:
        self.port = int(env["OCPI_OCPP_PORT"])
        prefixed = re.sub(r"^((?:\w+=\S+\s+)*)", r"\1exec ", documented(command, page))
        self.process = subprocess.Popen(
            # "exec" after any VAR=value prefix, so that signals reach the server itself.
            ["bash", "-c", prefixed],
            cwd=cwd,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def ready(self, timeout: float = 30) -> dict[str, str]:
        """Wait for the printed addresses; returns them by label."""
        deadline = time.monotonic() + timeout
        while "API docs" not in self.output:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"server did not start:\n{self.output}")
            time.sleep(0.05)
        found = re.findall(r"^\s+([A-Za-z][A-Za-z ]+?)\s+: (\S+)", self.output, flags=re.M)
        return dict(found)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            self.process.wait(timeout=15)
        finally:
            if self.process.poll() is None:
                self.process.kill()
                self.process.wait()
            self._reader.join(timeout=5)
            assert self.process.stdout is not None
            self.process.stdout.close()


@pytest.fixture
def servers() -> Iterator[list[Server]]:
    started: list[Server] = []
    yield started
    for server in started:
        server.stop()


async def _partner_token(db_file: Path) -> str:
    """The token a server calls its (only) partner with: what that partner issued to it."""
    store = create_gateway_store(f"sqlite+aiosqlite:///{db_file}")
    try:
        (partner,) = await store.partners.list()
        assert partner.token_out is not None
        return str(partner.token_out)
    finally:
        await store.stop()


def test_standalone_partner_charger_and_session(tmp_path: Path, servers: list[Server]) -> None:
    """The newcomer's path: ``scripts/serve`` (``serve --issue-token-a``, the bridge on), a
    station with a card of the CPO's own, the command API, the Location over OCPI."""
    cpo_dir, emsp_dir = tmp_path / "cpo", tmp_path / "emsp"
    cpo_dir.mkdir()
    emsp_dir.mkdir()
    cpo_env, emsp_env = environment(free_port()), environment(free_port())
    cpo = Server("ocpi-ocpp serve --issue-token-a", cpo_dir, cpo_env)
    emsp = Server("ocpi-ocpp serve --role emsp --party-id MSP", emsp_dir, emsp_env)
    servers += [cpo, emsp]
    cpo_urls, emsp_urls = cpo.ready(), emsp.ready()
    assert (cpo_dir / "ocpi-store.sqlite3").exists()  # the embedded default
    assert cpo_urls["OCPP endpoint"] == f"ws://127.0.0.1:{cpo.port}/ocpp/<charge"
    assert "serving EMSP NL*MSP" in emsp.output
    # The token A printed at start opens the versions module; a made-up token does not.
    versions = cpo_urls["OCPI versions URL"]
    for token, status in ((cpo_urls["OCPI token A"], 200), ("made-up", 401)):
        answer = httpx.get(versions, headers={"Authorization": f"Token {token}"}, timeout=5)
        assert answer.status_code == status, answer.text

    # The eMSP's operator issues a token A (meanwhile the CPO's adds a station); the CPO's
    # operator registers with the eMSP.
    issued, _, card = run_together(
        ('ocpi-ocpp partners token-a --partner-name "ACME eMSP"', emsp_dir, emsp_env),
        ("ocpi-ocpp chargers add CP1 --password s3cret-pass", cpo_dir, cpo_env),
        ("ocpi-ocpp tokens add TAG1", cpo_dir, cpo_env),  # a card of the CPO's own
    )
    assert card.startswith("token TAG1 (RFID, whitelist ALLOWED) stored as NL-EXA-TAG1"), card
    token_a = re.search(r"token A\s+: (\S+)", issued)
    assert token_a is not None
    partner_env = dict(
        cpo_env,
        PARTNER_VERSIONS_URL=emsp_urls["OCPI versions URL"],
        PARTNER_TOKEN_A=token_a.group(1),
    )
    registered = run(
        'ocpi-ocpp partners register "$PARTNER_VERSIONS_URL" "$PARTNER_TOKEN_A"',
        cpo_dir,
        partner_env,
    )
    assert "OCPI 2.3.0" in registered and "NL*MSP" in registered

    # The station added while the server ran connects, charges and shows in the command API.
    simulation = subprocess.Popen(
        [
            "bash",
            "-c",
            documented(
                "ocpi-ocpp simulate --id CP1 --password s3cret-pass --token TAG1"
                " --duration 2 --meter-interval 0.5"
            ),
        ],
        cwd=cpo_dir,
        env=cpo_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        listed = run("ocpi-ocpp partners list", emsp_dir, emsp_env)
        assert "registered" in listed and "NL*EXA" in listed and "ACME eMSP" in listed
        headers = {"Authorization": f"Bearer {cpo_urls['command API token']}"}
        deadline = time.monotonic() + 15
        visible: list[dict[str, Any]] = []
        while not visible and time.monotonic() < deadline:
            answer = httpx.get(cpo_urls["command API"], headers=headers, timeout=5)
            assert answer.status_code == 200
            visible = [c for c in answer.json() if c["charge_point_id"] == "CP1"]
            time.sleep(0.1)
        assert visible and visible[0]["version"] == "1.6"
        refused = httpx.get(cpo_urls["command API"], timeout=5)
        assert refused.status_code in (401, 403)
        # The bridge published the station: a registered partner reads it from our Sender.
        partner_token = asyncio.run(_partner_token(emsp_dir / "ocpi-store.sqlite3"))
        sender = versions.replace("/versions", "/cpo/2.2.1/locations")
        located: list[dict[str, Any]] = []
        while not located and time.monotonic() < deadline:
            answer = httpx.get(
                sender, headers={"Authorization": f"Token {partner_token}"}, timeout=5
            )
            assert answer.status_code == 200, answer.text
            located = [loc for loc in answer.json()["data"] if loc["id"] == "CP1"]
            time.sleep(0.1)
        assert located and located[0]["evses"][0]["uid"] == "CP1-1", located
        _, errors = simulation.communicate(timeout=30)
    finally:
        if simulation.poll() is None:
            simulation.kill()
            simulation.communicate()
    assert simulation.returncode == 0, errors

    shown, charger_list, token_list = run_together(
        ("ocpi-ocpp chargers show CP1", cpo_dir, cpo_env),
        ("ocpi-ocpp chargers list", cpo_dir, cpo_env),
        ("ocpi-ocpp tokens list", cpo_dir, cpo_env),
    )
    assert re.search(r"^TAG1 +RFID +NL\*EXA +yes +ALLOWED +ours$", token_list, flags=re.M)
    assert "OCPP version : 1.6" in shown and "connector 1: Available" in shown
    match = re.search(r"transaction 1: ended, (\d+) Wh, (\d+) meter values", shown)
    assert match is not None and int(match.group(1)) > 0 and int(match.group(2)) >= 2, shown
    assert re.search(r"^CP1 +password +1\.6 ", charger_list, flags=re.M), charger_list

    # Unregistering tells the partner: its side retires the CPO's tokens.
    partner_id = re.search(r"registered (\S+)", registered)
    assert partner_id is not None
    run(
        'ocpi-ocpp partners unregister "$PARTNER_ID"',
        cpo_dir,
        dict(cpo_env, PARTNER_ID=partner_id.group(1)),
    )

    async def emsp_partners() -> list[str]:
        store = create_gateway_store(f"sqlite+aiosqlite:///{emsp_dir / 'ocpi-store.sqlite3'}")
        try:
            return [p.status for p in await store.partners.list(include_unregistered=True)]
        finally:
            await store.stop()

    assert asyncio.run(emsp_partners()) == ["unregistered"]


def _exported(line: str, port: int) -> dict[str, str]:
    """The variables of a documented ``export A=1 B=2`` line (the port: a free one)."""
    assert line.startswith("export ")
    exported = dict(item.split("=", 1) for item in documented(line, "bridge.md").split()[1:])
    assert "OCPI_OCPP_PORT" in exported
    return {**exported, "OCPI_OCPP_PORT": str(port)}


def _objects(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_cpo_in_a_box_on_the_command_line(tmp_path: Path, servers: list[Server]) -> None:
    """docs/bridge.md, part 1: a CPO (the bridge on) and an eMSP, both ``ocpi-ocpp serve``; the
    eMSP registers, a simulated station charges with the eMSP's token, and the eMSP has the
    Location with live EVSE status, the Session and the priced CDR."""
    page = "bridge.md"
    cpo_dir, emsp_dir = tmp_path / "cpo", tmp_path / "emsp"
    cpo_dir.mkdir()
    emsp_dir.mkdir()
    (tariff,) = re.findall(r"```json\n(.*?)```", BRIDGE_DOC, flags=re.S)
    (cpo_dir / "tariff.json").write_text(tariff)
    cpo_env = environment(free_port())
    emsp_env = environment(
        0,
        **_exported(
            "export OCPI_OCPP_ROLE=emsp OCPI_OCPP_PARTY_ID=MSP OCPI_OCPP_PORT=8001", free_port()
        ),
    )
    cpo = Server(
        'ocpi-ocpp serve --default-city Utrecht --default-address "Stationsplein 1"'
        " --default-postal-code 3511CE --default-coordinates 52.0894,5.1100"
        " --default-tariff tariff.json",
        cpo_dir,
        cpo_env,
        page,
    )
    emsp = Server("ocpi-ocpp serve", emsp_dir, emsp_env, page)
    servers += [cpo, emsp]
    cpo_urls, _ = cpo.ready(), emsp.ready()
    assert "serving EMSP NL*MSP" in emsp.output
    assert cpo_urls["bridge API"] == f"http://127.0.0.1:{cpo.port}/api/bridge/stations"

    _, issued = run_together(
        ("ocpi-ocpp chargers add CP1 --password s3cret-pass", cpo_dir, cpo_env),
        ('ocpi-ocpp partners token-a --partner-name "ACME eMSP"', cpo_dir, cpo_env),
        page=page,
    )
    token_a = re.search(r"token A\s+: (\S+)", issued)
    assert token_a is not None
    registering = dict(
        emsp_env, CPO_VERSIONS_URL=cpo_urls["OCPI versions URL"], CPO_TOKEN_A=token_a.group(1)
    )
    registered, added = run_together(
        ('ocpi-ocpp partners register "$CPO_VERSIONS_URL" "$CPO_TOKEN_A"', emsp_dir, registering),
        ("ocpi-ocpp tokens add TAG1", emsp_dir, emsp_env),
        page=page,
    )
    assert "NL*EXA" in registered and "token TAG1" in added

    run(
        "ocpi-ocpp simulate --id CP1 --password s3cret-pass --token TAG1 --duration 2"
        " --meter-interval 0.5 --time-scale 600",
        cpo_dir,
        cpo_env,
        page=page,
    )
    # The CDR is the last push; it arrives right after the station stopped.
    deadline = time.monotonic() + 15
    cdrs: list[dict[str, Any]] = []
    while not cdrs:
        assert time.monotonic() < deadline, "no CDR at the eMSP"
        cdrs = _objects(run("ocpi-ocpp objects cdrs", emsp_dir, emsp_env, page=page))
    locations, sessions = (
        _objects(out)
        for out in run_together(
            ("ocpi-ocpp objects locations", emsp_dir, emsp_env),
            ("ocpi-ocpp objects sessions", emsp_dir, emsp_env),
            page=page,
        )
    )
    (location,) = locations
    assert (location["id"], location["city"], location["address"]) == (
        "CP1",
        "Utrecht",
        "Stationsplein 1",
    )
    assert location["coordinates"] == {"latitude": "52.089400", "longitude": "5.110000"}
    (evse,) = location["evses"]
    assert (evse["uid"], evse["evse_id"], evse["status"]) == ("CP1-1", "NL*EXA*ECP1*1", "AVAILABLE")
    (session,) = sessions
    assert session["status"] == "COMPLETED" and session["kwh"] > 3, session
    assert session["cdr_token"]["uid"] == "TAG1" and session["party_id"] == "EXA"
    (cdr,) = cdrs
    assert cdr["session_id"] == session["id"] and cdr["auth_method"] == "AUTH_REQUEST"
    assert cdr["total_energy"] == pytest.approx(session["kwh"])
    excl_vat = round(cdr["total_energy"] * 0.30, 2)
    assert cdr["total_cost"] == {"excl_vat": excl_vat, "incl_vat": round(excl_vat * 1.21, 2)}

    # The status went live while charging; the bridge API shows the station as the bridge does.
    headers = {"Authorization": f"Bearer {cpo_urls['command API token']}"}
    outbox = httpx.get(
        cpo_urls["bridge API"].replace("/stations", "/outbox"), headers=headers, timeout=5
    ).json()
    pushed = [entry["push"] for entry in outbox["recent"]]
    assert "PATCH EVSE CP1-1 CHARGING" in pushed and "PATCH EVSE CP1-1 AVAILABLE" in pushed
    (station,) = httpx.get(cpo_urls["bridge API"], headers=headers, timeout=5).json()
    assert station["location_id"] == "CP1" and station["evses"][0]["status"] == "AVAILABLE"
    assert httpx.get(cpo_urls["bridge API"], timeout=5).status_code == 401


async def add_card(*db: str) -> None:
    """``ocpi-ocpp tokens add TAG1 --db ...`` in this process: a card of the CPO's own, which
    the bridge accepts (the documented command runs in the standalone test)."""
    from ocpp_gw.cli import main

    status = await asyncio.to_thread(main, ["tokens", "add", "TAG1", "--db", *db])
    assert status == 0


async def test_kill_mid_session_loses_nothing_acknowledged(tmp_path: Path) -> None:
    env = environment(free_port())
    url = f"sqlite+aiosqlite:///{tmp_path / 'ocpi-store.sqlite3'}"
    store = create_gateway_store(url)
    try:  # (the documented `chargers add` runs in the test above; here it costs a process)
        await store.chargers.add("CP1", "s3cret-pass")
    finally:
        await store.stop()
    await add_card(url)
    server = Server("ocpi-ocpp serve", tmp_path, env)
    try:
        urls = await asyncio.to_thread(server.ready)
        ws_url = urls["OCPP endpoint"].rsplit("/", 1)[0]
        intruder = SimulatedStation(ws_url, "CP1", "1.6", "wrong-pass")
        with pytest.raises(InvalidStatus, match="401"):
            await intruder.connect()
        station = SimulatedStation(ws_url, "CP1", "1.6", "s3cret-pass", time_scale=600)
        await station.connect()
        await station.boot()
        transaction_id = await station.start_transaction("TAG1", 1)
        for _ in range(3):
            await station.send_meter_values(1)  # each one acknowledged by the server
        server.stop(signal.SIGKILL)
        await station.close()
    finally:
        server.stop()

    store = create_gateway_store(f"sqlite+aiosqlite:///{tmp_path / 'ocpi-store.sqlite3'}")
    try:
        stored = await store.state.get_transaction("CP1", transaction_id)
        assert stored is not None and stored.state is TransactionState.active
        assert stored.id_token == "TAG1" and len(stored.meter_values) == 3
        assert stored.meter_wh is not None and stored.meter_wh > (stored.meter_start_wh or 0)
        (connector,) = await store.state.list_connectors("CP1")
        assert connector.status == "Charging"
    finally:
        await store.stop()

    # Restarted on the same file, the server takes the station back; it stops its transaction.
    env["OCPI_OCPP_PORT"] = str(free_port())
    server = Server("ocpi-ocpp serve", tmp_path, env)
    try:
        urls = await asyncio.to_thread(server.ready)
        ws_url = urls["OCPP endpoint"].rsplit("/", 1)[0]
        back = SimulatedStation(ws_url, "CP1", "1.6", "s3cret-pass", time_scale=600)
        back.connectors = station.connectors  # the station remembers its session
        async with back:
            await back.send_meter_values(1)
            await back.stop_transaction(1)
            second = await back.start_transaction("TAG1", 1)
            await back.stop_transaction(1)
    finally:
        server.stop()
    assert int(second) > int(transaction_id)  # ids continue after the restart

    store = create_gateway_store(f"sqlite+aiosqlite:///{tmp_path / 'ocpi-store.sqlite3'}")
    try:
        ended = await store.state.get_transaction("CP1", transaction_id)
        assert ended is not None and ended.state is TransactionState.ended
        assert ended.stop_reason == "Local" and len(ended.meter_values) >= 4
        assert ended.energy_wh is not None and ended.energy_wh > 0
        assert len(await store.state.list_transactions("CP1")) == 2
    finally:
        await store.stop()
    pruned = await asyncio.to_thread(run, "ocpi-ocpp db prune --older-than 90", tmp_path, env)
    assert pruned.startswith("removed 0 transactions, 0 meter values")  # all of it is recent


async def test_documented_python_snippet(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (snippet,) = re.findall(r"```python\n(.*?)```", DOC, flags=re.S)
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, Any] = {}
    exec(compile(snippet, "docs/standalone.md", "exec"), namespace)
    store, app = namespace["store"], namespace["app"]
    try:
        await store.chargers.add("CP1", password="s3cret-pass")
        (charger,) = await store.chargers.list()
        assert charger.charge_point_id == "CP1" and charger.has_password
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            versions = await client.get("/ocpi/versions")
            commands = await client.get("/api/ocpp/chargers")
        assert versions.status_code == 401 and versions.json()["status_code"] == 2000
        assert commands.status_code in (401, 403, 503)  # the command API is there, guarded
    finally:
        await store.stop()


async def test_postgresql_by_url(tmp_path: Path) -> None:
    schema = f"cli_{uuid.uuid4().hex[:12]}"
    try:
        await pg_execute(f'CREATE SCHEMA "{schema}"')
    except Exception as exc:  # no server, database or driver here
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {exc!r}")
    env = environment(free_port(), DATABASE_URL=PG_URL, OCPI_OCPP_SCHEMA=schema)
    try:
        upgraded = run('OCPI_OCPP_DB="$DATABASE_URL" ocpi-ocpp db upgrade', tmp_path, env)
        assert upgraded.strip().endswith("is at 0002_gateway")
        run(
            'OCPI_OCPP_DB="$DATABASE_URL" ocpi-ocpp chargers add CP1 --password s3cret-pass',
            tmp_path,
            env,
        )
        await add_card(PG_URL, "--schema", schema)
        server = Server('OCPI_OCPP_DB="$DATABASE_URL" ocpi-ocpp serve', tmp_path, env)
        try:
            urls = await asyncio.to_thread(server.ready)
            assert urls["database"].startswith("postgresql+asyncpg://")
            ws_url = urls["OCPP endpoint"].rsplit("/", 1)[0]
            async with SimulatedStation(ws_url, "CP1", "2.0.1", "s3cret-pass") as station:
                await station.boot()
                transaction_id = await station.start_transaction("TAG1", 1)
                await station.stop_transaction(1)
        finally:
            server.stop()
        assert not await asyncio.to_thread(os.listdir, tmp_path)  # no SQLite file made
        store = create_gateway_store(PG_URL, schema=schema)
        try:
            stored = await store.state.get_transaction("CP1", transaction_id)
            assert stored is not None and stored.state is TransactionState.ended
        finally:
            await store.stop()
    finally:
        await pg_execute(f'DROP SCHEMA "{schema}" CASCADE')


def test_standalone_example_is_the_serve_command(capsys: pytest.CaptureFixture[str]) -> None:
    from examples import standalone

    with pytest.raises(SystemExit) as exit_info:
        standalone.main(["--help"])
    assert exit_info.value.code == 0
    assert "--issue-token-a" in capsys.readouterr().out


def test_flags_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from ocpp_gw.cli import build_parser

    monkeypatch.setenv("OCPI_OCPP_PORT", "9100")
    monkeypatch.setenv("OCPI_OCPP_ROLE", "emsp")
    monkeypatch.setenv("OCPI_OCPP_DB", "sqlite+aiosqlite:///env.sqlite3")
    args = build_parser().parse_args(["serve", "--port", "9200", "--ocpi-version", "2.2.1"])
    assert (args.port, args.role, args.db) == (9200, "EMSP", "sqlite+aiosqlite:///env.sqlite3")
    assert args.ocpi_version == ["2.2.1"]
    args = build_parser().parse_args(["chargers", "add", "CP1", "--role", "cpo"])
    assert (args.port, args.role, args.password) == (9100, "CPO", None)


def test_bridge_options_from_flags_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from ocpp_gw.cli import _bridge_on, _bridge_settings, build_parser, main

    monkeypatch.setenv("OCPI_OCPP_DEFAULT_TIME_ZONE", "Europe/Berlin")
    monkeypatch.setenv("OCPI_OCPP_OFFLINE_AFTER", "0")
    monkeypatch.setenv("OCPI_OCPP_SESSION_PATCH_INTERVAL", "5")
    tariff = {"id": "T", "currency": "EUR", "elements": [{"price_components": [FLAT]}]}
    (tmp_path / "tariff.json").write_text(json.dumps(tariff))
    (tmp_path / "empty.json").write_text(json.dumps(dict(tariff, elements=[])))
    args = build_parser().parse_args(
        ["serve", "--party-id", "CPO", "--default-country", "deu", "--default-coordinates",
         "48.1,11.5", "--default-tariff", str(tmp_path / "tariff.json"),
         "--authorization-budget", "2.5"]
    )  # fmt: skip
    assert _bridge_on(args)
    settings = _bridge_settings(args, _settings())
    location = settings.default_location
    assert (location.country, location.time_zone, location.city) == (
        "DEU",
        "Europe/Berlin",
        "Unknown",
    )
    assert (location.latitude, location.longitude) == ("48.100000", "11.500000")
    assert settings.default_tariff == dict(tariff, country_code="NL", party_id="EXA")
    assert (settings.offline_after, settings.session_patch_interval) == (None, 5.0)
    assert settings.authorization_budget == 2.5
    assert not _bridge_on(build_parser().parse_args(["serve", "--role", "emsp"]))
    assert not _bridge_on(build_parser().parse_args(["serve", "--no-bridge"]))
    for wrong in (["--default-coordinates", "north"], ["--default-time-zone", "Mars/Base"]):
        with pytest.raises(SystemExit):
            build_parser().parse_args(["serve", *wrong])
    url = f"sqlite+aiosqlite:///{tmp_path / 'refused.sqlite3'}"
    assert main(["serve", "--db", url, "--role", "emsp", "--bridge"]) == 2
    for tariff_file in ("none.json", "empty.json"):
        assert main(["serve", "--db", url, "--default-tariff", str(tmp_path / tariff_file)]) == 2
    err = capsys.readouterr().err
    assert "the bridge serves a CPO" in err and "not a usable tariff" in err
    assert "No such file" in err
    monkeypatch.setenv("OCPI_OCPP_BRIDGE", "0")
    assert not _bridge_on(build_parser().parse_args(["serve"]))


FLAT = {"type": "FLAT", "price": 1.0, "step_size": 1}


def _settings() -> Any:
    from ocpi.core.config import Settings

    return Settings(COUNTRY_CODE="NL", PARTY_ID="EXA")


def test_serve_refuses_an_unmigrated_postgresql_database(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from ocpp_gw.cli import main
    from tests.ocpp_gw.store.gateway_store_support import run_in_thread

    schema = f"cli_{uuid.uuid4().hex[:12]}"
    try:
        run_in_thread(lambda: pg_execute(f'CREATE SCHEMA "{schema}"'))
    except Exception as exc:  # no server, database or driver here
        pytest.skip(f"PostgreSQL unreachable at {PG_URL}: {exc!r}")
    try:
        status = main(["serve", "--db", PG_URL, "--schema", schema, "--port", str(free_port())])
    finally:
        run_in_thread(lambda: pg_execute(f'DROP SCHEMA "{schema}" CASCADE'))
    assert status == 2
    assert "run `ocpi-ocpp db upgrade`" in capsys.readouterr().err


async def _authenticates(url: str, cp_id: str, password: str) -> bool:
    from ocpi.core.authentication.authenticator import ChargerCredentials

    store = create_gateway_store(url)
    try:
        credentials = ChargerCredentials(
            charge_point_id=cp_id, security_profile=1, username=cp_id, password=password
        )
        return await store.authenticator.authenticate_charger(credentials)
    finally:
        await store.stop()


def test_charger_password_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io

    from ocpp_gw.cli import main

    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.sqlite3'}"
    monkeypatch.setattr(sys, "stdin", io.StringIO("piped-secret\n"))
    assert main(["chargers", "add", "CP7", "--password", "-", "--db", url]) == 0
    assert "piped-secret" not in capsys.readouterr().out
    assert asyncio.run(_authenticates(url, "CP7", "piped-secret"))
    assert not asyncio.run(_authenticates(url, "CP7", "-"))


async def test_tls_password_and_certificate_stations(tmp_path: Path) -> None:
    from ocpp_gw.simulator.fleet import tls_context
    from tests.ocpp_gw.gw_support import issue_certificate, make_ca

    if shutil.which("openssl") is None:
        pytest.skip("the openssl command is needed to generate test certificates")

    def certificates() -> None:
        make_ca(tmp_path, "stations-ca")
        issue_certificate(
            tmp_path, "server", "/CN=127.0.0.1", "stations-ca",
            "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n",
        )  # fmt: skip
        for name, subject in (("acme", "/O=ACME/CN=CP3"), ("other", "/O=Other/CN=CP3")):
            issue_certificate(
                tmp_path, name, subject, "stations-ca", "extendedKeyUsage=clientAuth\n"
            )

    await asyncio.to_thread(certificates)
    store = create_gateway_store(f"sqlite+aiosqlite:///{tmp_path / 'ocpi-store.sqlite3'}")
    try:
        await store.chargers.add("CP2", "s3cret-pass")
        await store.chargers.add("CP3", generate_password=False, certificate_o="ACME")
    finally:
        await store.stop()

    server = Server(
        "ocpi-ocpp serve --ssl-certfile server.pem --ssl-keyfile server.key"
        " --ssl-ca-certs stations-ca.pem",
        tmp_path,
        environment(free_port()),
    )
    try:
        urls = await asyncio.to_thread(server.ready)
        assert urls["OCPI versions URL"].startswith("https://")
        ws_url = urls["OCPP endpoint"].rsplit("/", 1)[0]
        assert ws_url.startswith("wss://")
        ca = str(tmp_path / "stations-ca.pem")

        def station(identity: str, password: str | None, name: str | None) -> SimulatedStation:
            context = tls_context(
                ca,
                str(tmp_path / f"{name}.pem") if name else None,
                str(tmp_path / f"{name}.key") if name else None,
            )
            return SimulatedStation(ws_url, identity, "2.0.1", password, ssl_context=context)

        async with station("CP3", None, "acme") as certified:  # security profile 3
            assert (await certified.boot())["status"] == "Accepted"
        async with station("CP2", "s3cret-pass", None) as basic:  # security profile 2
            assert (await basic.boot())["status"] == "Accepted"
        with pytest.raises(InvalidStatus, match="403"):
            await station("CP3", None, "other").connect()  # the wrong organization
    finally:
        server.stop()


def test_serve_tunes_the_gc_unless_the_environment_says_otherwise(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ocpp_gw.cli import build_parser, gateway_settings

    args = build_parser().parse_args(["serve"])
    monkeypatch.delenv("OCPP_TUNE_GC_AFTER_START", raising=False)
    settings = gateway_settings(args, "api-token")
    assert settings.tune_gc_after_start is True
    assert settings.api_token is not None
    assert settings.api_token.get_secret_value() == "api-token"
    monkeypatch.setenv("OCPP_TUNE_GC_AFTER_START", "false")
    assert gateway_settings(args, None).tune_gc_after_start is False
