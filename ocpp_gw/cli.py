"""``ocpi-ocpp``: run the combined OCPI + OCPP server on the built-in store, and administer it.

::

    ocpi-ocpp serve                                   # SQLite file in the working directory
    ocpi-ocpp serve --default-city Utrecht --default-tariff tariff.json   # CPO: bridge options
    ocpi-ocpp chargers add CP1 --password s3cret-pass
    ocpi-ocpp partners token-a --name "ACME eMSP"
    ocpi-ocpp partners register https://emsp.example.com/ocpi/versions TOKEN_A
    ocpi-ocpp simulate --id CP1 --password s3cret-pass --token TAG1 --duration 60
    ocpi-ocpp tokens add TAG1 --role emsp --party-id MSP   # an eMSP's driver token
    ocpi-ocpp objects sessions                        # what is stored (ours and received)
    ocpi-ocpp db upgrade --db postgresql+asyncpg://ocpi@db/ocpi

Every option has an environment variable (``OCPI_OCPP_<OPTION>``, e.g. ``OCPI_OCPP_DB``,
``OCPI_OCPP_PORT``); flags win over the environment. ``python -m ocpp_gw`` is the same program.

As CPO, ``serve`` runs the OCPP → OCPI bridge (``--no-bridge`` to serve OCPI and OCPP side by
side without it): stations become Locations, transactions Sessions and CDRs, and OCPI
commands and charging profiles reach the stations (see ``docs/bridge.md``).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import secrets
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url

from ocpi.core.config import Settings
from ocpi.core.enums import ModuleID, RoleEnum
from ocpi.core.spec import SUPPORTED_VERSIONS
from ocpi.modules.versions.enums import VersionNumber
from ocpi.store.db import DEFAULT_URL

if TYPE_CHECKING:
    from ocpp_gw.bridge import Bridge, BridgeSettings
    from ocpp_gw.gateway import OCPPGateway
    from ocpp_gw.store import GatewayStore

__all__ = ["BRIDGE_MODULES", "DEFAULT_MODULES", "build_parser", "main"]

logger = logging.getLogger(__name__)

ENV_PREFIX = "OCPI_OCPP_"
#: OCPI modules served by ``serve`` unless ``--module`` is given.
DEFAULT_MODULES = {
    RoleEnum.cpo: ["locations", "sessions", "cdrs", "tariffs", "tokens", "commands"],
    RoleEnum.emsp: ["locations", "sessions", "cdrs", "tariffs", "tokens", "commands"],
}
#: The CPO's modules with the bridge on (which executes charging profiles on the stations).
BRIDGE_MODULES = [*DEFAULT_MODULES[RoleEnum.cpo], "chargingprofiles"]

Command = Callable[[argparse.Namespace], Coroutine[Any, Any, int]]


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def _env_list(name: str) -> list[str] | None:
    value = _env(name)
    return [item.strip() for item in value.split(",") if item.strip()] if value else None


# -- settings shared by the commands ------------------------------------------------------------


def _public_url(args: argparse.Namespace) -> str:
    scheme = "https" if getattr(args, "ssl_certfile", None) else "http"
    url: str = args.public_url or f"{scheme}://{args.host}:{args.port}"
    return url.rstrip("/")


def _tls_options(args: argparse.Namespace) -> dict[str, Any]:
    """uvicorn's TLS options: a server certificate (security profile 2) and, with a CA for
    station certificates, optional client certificates (profile 3 next to profile 2)."""
    if not args.ssl_certfile:
        return {}
    import ssl

    options: dict[str, Any] = {"ssl_certfile": args.ssl_certfile, "ssl_keyfile": args.ssl_keyfile}
    if args.ssl_ca_certs:
        options["ssl_ca_certs"] = args.ssl_ca_certs
        options["ssl_cert_reqs"] = ssl.CERT_OPTIONAL
    return options


def _ocpi_settings(args: argparse.Namespace) -> Settings:
    public = urlsplit(_public_url(args))
    return Settings(
        OCPI_HOST=public.netloc + public.path,
        PROTOCOL=public.scheme,
        COUNTRY_CODE=args.country_code,
        PARTY_ID=args.party_id,
        PROJECT_NAME=args.name,
    )


def _versions(args: argparse.Namespace) -> list[VersionNumber]:
    chosen = args.ocpi_version or _env_list("OCPI_VERSIONS") or SUPPORTED_VERSIONS
    return [VersionNumber(v) for v in chosen]


def _open_store(args: argparse.Namespace, *, migrate: bool | None = None) -> GatewayStore:
    from ocpp_gw.store import create_gateway_store

    if migrate is None and make_url(args.db).get_backend_name() != "sqlite":
        migrate = bool(getattr(args, "migrate", False))
    return create_gateway_store(
        args.db,
        _ocpi_settings(args),
        roles=[RoleEnum(args.role)],
        versions=_versions(args),
        business_details={"name": args.name},
        migrate=migrate,
        schema=args.schema,
    )


def _safe_url(url: str) -> str:
    rendered: str = make_url(url).render_as_string(hide_password=True)
    return rendered


# -- serve ---------------------------------------------------------------------------------------


def _bridge_on(args: argparse.Namespace) -> bool:
    """``--bridge``/``--no-bridge``; by default on for the CPO role only."""
    if args.bridge is None:
        return RoleEnum(args.role) == RoleEnum.cpo
    return bool(args.bridge)


def _coordinates(text: str) -> tuple[str, str]:
    """``LAT,LON`` in decimal degrees → OCPI's strings (6 decimals)."""
    try:
        latitude, longitude = (float(part) for part in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected LATITUDE,LONGITUDE, got {text!r}") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise argparse.ArgumentTypeError(f"coordinates out of range: {text!r}")
    return f"{latitude:.6f}", f"{longitude:.6f}"


def _time_zone(text: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise argparse.ArgumentTypeError(f"unknown time zone {text!r}") from None
    return text


def _country(text: str) -> str:
    if len(text) != 3 or not text.isalpha():
        raise argparse.ArgumentTypeError(f"expected an ISO 3166-1 alpha-3 code, got {text!r}")
    return text.upper()


def _bridge_settings(args: argparse.Namespace, settings: Settings) -> BridgeSettings:
    import json
    from dataclasses import replace

    from ocpp_gw.bridge import BridgeSettings, LocationDefaults

    location = LocationDefaults()
    chosen: dict[str, Any] = {
        "address": args.default_address,
        "city": args.default_city,
        "postal_code": args.default_postal_code,
        "country": args.default_country,
        "time_zone": args.default_time_zone,
    }
    if args.default_coordinates is not None:
        chosen["latitude"], chosen["longitude"] = args.default_coordinates
    location = replace(location, **{k: v for k, v in chosen.items() if v is not None})
    tariff = None
    if args.default_tariff:
        with open(args.default_tariff, encoding="utf-8") as file:
            tariff = json.load(file)
        if not isinstance(tariff, dict):
            raise ValueError(f"{args.default_tariff}: expected one OCPI 2.2.1 Tariff object")
        from ocpp_gw.bridge.tariff_model import normalize_tariff

        try:  # refused now rather than when the first CDR is priced
            normalize_tariff(tariff, "2.2.1")
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{args.default_tariff}: not a usable tariff: {exc!r}") from None
        tariff.setdefault("country_code", settings.COUNTRY_CODE)
        tariff.setdefault("party_id", settings.PARTY_ID)
    options: dict[str, Any] = {
        "offline_after": args.offline_after if args.offline_after > 0 else None,
        "session_patch_interval": args.session_patch_interval,
        "authorization_budget": args.authorization_budget,
    }
    return BridgeSettings(
        country_code=settings.COUNTRY_CODE,
        party_id=settings.PARTY_ID,
        default_location=location,
        default_tariff=tariff,
        **options,
    )


def gateway_settings(args: argparse.Namespace, api_token: str | None) -> Any:
    """The gateway settings of ``serve``: ``OCPP_*`` environment variables plus the flags.

    The server owns its process, so unless ``OCPP_TUNE_GC_AFTER_START`` says otherwise it lets the
    gateway tune the garbage collector once started (see ``GatewaySettings.tune_gc_after_start``).
    """
    from pydantic import SecretStr

    from ocpp_gw.config import GatewaySettings

    options: dict[str, Any] = {}
    if api_token is not None:
        options["api_token"] = SecretStr(api_token)
    if args.accept_unknown_chargers:
        options["accept_unknown_chargers"] = True
    if "OCPP_TUNE_GC_AFTER_START" not in os.environ:
        options["tune_gc_after_start"] = True
    return GatewaySettings(**options)


async def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from ocpi.main import get_application
    from ocpp_gw.gateway import OCPPGateway

    role = RoleEnum(args.role)
    bridged = _bridge_on(args)
    if bridged and role != RoleEnum.cpo:
        print("the bridge serves a CPO: drop --bridge or use --role cpo", file=sys.stderr)
        return 2
    try:
        bridge_settings = _bridge_settings(args, _ocpi_settings(args)) if bridged else None
    except (OSError, ValueError) as exc:  # the tariff file: missing, not JSON, not an object
        print(f"--default-tariff: {exc}", file=sys.stderr)
        return 2
    store = _open_store(args)
    settings = store.settings
    generated = args.api_token is None and not os.environ.get("OCPP_API_TOKEN")
    token = secrets.token_urlsafe(24) if generated else args.api_token
    gateway = OCPPGateway(
        authenticator=store.authenticator,
        settings=gateway_settings(args, token),
        state=store.state,
    )
    modules = args.module or (BRIDGE_MODULES if bridged else DEFAULT_MODULES[role])
    options: dict[str, Any] = {
        "version_numbers": _versions(args),
        "roles": [role],
        "modules": [ModuleID(m) for m in modules],
        "authenticator": store.authenticator,
        "settings": settings,
    }
    bridge: Bridge | None = None
    if bridge_settings is not None:
        from ocpp_gw.bridge import Bridge, StorePartnerDirectory

        bridge = Bridge(
            gateway=gateway,
            crud=store.crud,
            directory=StorePartnerDirectory(store),
            settings=bridge_settings,
        )
        # get_application(crud=bridge.crud, ocpp_gateway=bridge.ocpp_gateway) + attach: the
        # bridge's REST API comes with bridge.ocpp_gateway (next to the command API).
        app = bridge.application(**options)
    else:
        app = get_application(crud=store.crud, ocpp_gateway=gateway, **options)
    server = uvicorn.Server(
        uvicorn.Config(
            app,
            host=args.host,
            port=args.port,
            log_level=args.log_level.lower(),
            **gateway.uvicorn_options(),
            **_tls_options(args),
        )
    )
    try:
        # Migrations (SQLite, or --migrate) run before the first station can connect.
        await store.start()
        if not await _schema_is_current(store):
            print(
                f"{_safe_url(args.db)} is not migrated to this version:"
                " run `ocpi-ocpp db upgrade` (or serve --migrate)",
                file=sys.stderr,
            )
            return 2
        task = asyncio.create_task(server.serve())
        while not server.started and not task.done():  # noqa: ASYNC110 - uvicorn's only flag
            await asyncio.sleep(0.02)
        if server.started:
            token_a = None
            if args.issue_token_a:
                token_a = (await store.partners.create_token_a(name="issued at start")).token
            _print_urls(args, settings, gateway, token if generated else None, token_a, bridge)
        await task
    finally:
        await store.stop()
    return 0 if server.started else 1


async def _schema_is_current(store: GatewayStore) -> bool:
    from ocpi.store.migrate import current_revision, head_revisions
    from ocpp_gw.store import VERSIONS_DIR

    current: set[str] = await current_revision(store.ocpi.engine)
    return current == head_revisions([VERSIONS_DIR])


def _print_urls(
    args: argparse.Namespace,
    settings: Settings,
    gateway: OCPPGateway,
    token: str | None,
    token_a: str | None,
    bridge: Bridge | None = None,
) -> None:
    public = _public_url(args)
    ws = public.replace("https://", "wss://", 1).replace("http://", "ws://", 1)
    prefix = settings.OCPI_PREFIX.strip("/")
    gw = gateway.settings
    lines = [
        f"ocpi-ocpp serving {args.role.upper()} {settings.COUNTRY_CODE}*{settings.PARTY_ID}",
        f"  database          : {_safe_url(args.db)}",
        f"  OCPI versions URL : {public}/{prefix}/versions",
        *([f"  OCPI token A      : {token_a}"] if token_a else []),
        f"  OCPP endpoint     : {ws}{gw.path_prefix}/<charge point id>",
        f"  command API       : {public}{gw.api_prefix}/chargers",
        *([f"  bridge API        : {public}/api/bridge/stations"] if bridge else []),
        "  command API token : "
        + (token if token is not None else "(set by --api-token / OCPP_API_TOKEN)"),
        f"  API docs          : {public}/{prefix}/docs",
    ]
    print("\n".join(lines), flush=True)


# -- partners ------------------------------------------------------------------------------------


async def _partners(args: argparse.Namespace) -> int:
    store = _open_store(args)
    try:
        admin = store.partners
        if args.action == "token-a":
            issued = await admin.create_token_a(name=args.partner_name)
            print(f"partner id : {issued.partner_id}")
            print(f"token A    : {issued.token}")
            print(f"give the partner the token and {_public_url(args)}/ocpi/versions")
        elif args.action == "register":
            partner = await admin.register(args.versions_url, args.token_a, name=args.partner_name)
            parties = " ".join(f"{cc}*{pid}" for cc, pid in partner.parties)
            print(f"registered {partner.id} ({partner.name or '-'}) OCPI {partner.version}")
            print(f"  parties: {parties or '-'}")
        elif args.action == "list":
            partners = await admin.list(include_unregistered=args.all)
            print(f"{'ID':36}  {'STATUS':12}  {'VERSION':7}  PARTIES  NAME")
            for p in partners:
                parties = ",".join(f"{cc}*{pid}" for cc, pid in p.parties) or "-"
                print(f"{p.id:36}  {p.status:12}  {p.version or '-':7}  {parties}  {p.name or '-'}")
        else:  # unregister
            if not await admin.unregister(args.partner_id, notify=not args.no_notify):
                print(f"unknown partner {args.partner_id}", file=sys.stderr)
                return 1
            print(f"unregistered {args.partner_id}")
    finally:
        await store.stop()
    return 0


# -- chargers ------------------------------------------------------------------------------------


async def _chargers(args: argparse.Namespace) -> int:
    store = _open_store(args)
    try:
        if args.action == "add":
            given = args.password
            if given == "-":  # from stdin: kept out of the process list and shell history
                given = sys.stdin.readline().rstrip("\r\n")
            password = await store.chargers.add(
                args.charge_point_id,
                given or None,
                generate_password=not args.no_password,
                certificate_cn=args.certificate_cn,
                certificate_o=args.certificate_o,
            )
            print(f"charger {args.charge_point_id} added")
            if password is not None and given is None:
                print(f"  password: {password}  (shown once; only its hash is stored)")
        elif args.action == "remove":
            if not await store.chargers.remove(args.charge_point_id):
                print(f"unknown charger {args.charge_point_id}", file=sys.stderr)
                return 1
            print(f"charger {args.charge_point_id} removed")
        elif args.action == "list":
            chargers = await store.chargers.list(include_unregistered=args.all)
            print(f"{'ID':24}  {'AUTH':11}  {'OCPP':5}  {'LAST SEEN':25}  MODEL")
            for c in chargers:
                auth = "password" if c.has_password else "certificate"
                auth = auth if c.registered else "unregistered"
                seen = c.last_seen.isoformat(timespec="seconds") if c.last_seen else "never"
                model = f"{c.vendor} {c.model}" if c.vendor else "-"
                print(
                    f"{c.charge_point_id:24}  {auth:11}  {c.version or '-':5}  {seen:25}  {model}"
                )
        else:  # show
            return await _show_charger(store, args.charge_point_id)
    finally:
        await store.stop()
    return 0


async def _show_charger(store: GatewayStore, charge_point_id: str) -> int:
    info = await store.chargers.get(charge_point_id)
    station = await store.state.get_station(charge_point_id)
    if info is None or station is None:
        print(f"unknown charger {charge_point_id}", file=sys.stderr)
        return 1
    seen = station.last_seen.isoformat(timespec="seconds") if station.last_seen else "never"
    print(f"charger {charge_point_id}")
    print(f"  registered   : {'yes' if info.registered else 'no'}")
    print(f"  OCPP version : {station.version or '-'}")
    print(f"  model        : {station.vendor or '-'} {station.model or ''}".rstrip())
    print(f"  boot status  : {station.registration_status}")
    print(f"  last seen    : {seen}")
    for connector in await store.state.list_connectors(charge_point_id):
        where = f"evse {connector.evse_id} " if connector.evse_id is not None else ""
        print(f"  {where}connector {connector.connector_id}: {connector.status}")
    for tx in await store.state.list_transactions(charge_point_id):
        energy = f"{tx.energy_wh:.0f} Wh" if tx.energy_wh is not None else "- Wh"
        print(
            f"  transaction {tx.transaction_id}: {tx.state.value}, {energy},"
            f" {len(tx.meter_values)} meter values"
        )
    return 0


# -- tokens and objects --------------------------------------------------------------------------


async def _tokens(args: argparse.Namespace) -> int:
    from ocpi.core.data_types import format_datetime

    store = _open_store(args)
    try:
        if args.action == "list":
            rows = await store.crud.everything(ModuleID.tokens, VersionNumber.v_2_2_1)
            print(f"{'UID':24}  {'TYPE':11}  {'PARTY':7}  {'VALID':5}  {'WHITELIST':15}  FROM")
            for row, token in rows:
                party = f"{row.country_code}*{row.party_id}"
                valid = "yes" if token.get("valid") else "no"
                origin = "ours" if row.owner is None else f"partner {row.owner}"
                print(
                    f"{token['uid']:24}  {token['type']:11}  {party:7}  {valid:5}"
                    f"  {token.get('whitelist') or '-':15}  {origin}"
                )
            return 0
        # An eMSP's drivers' tokens (CPOs ask it in real time), or a CPO's own cards (its bridge
        # accepts them; they start no OCPI Session): stored as ours, under our party.
        from datetime import UTC, datetime

        settings = store.settings
        uid = args.uid
        token = {
            "country_code": settings.COUNTRY_CODE,
            "party_id": settings.PARTY_ID,
            "uid": uid,
            "type": args.type,
            "contract_id": args.contract_id or f"{settings.COUNTRY_CODE}-{settings.PARTY_ID}-{uid}",
            "issuer": args.name,
            "valid": not args.blocked,
            "whitelist": args.whitelist,
            "last_updated": format_datetime(datetime.now(UTC)),
        }
        await store.crud.update(
            ModuleID.tokens,
            RoleEnum(args.role),
            token,
            uid,
            version=VersionNumber.v_2_2_1,
            auth_token="",
            country_code=settings.COUNTRY_CODE,
            party_id=settings.PARTY_ID,
            token_type=args.type,
        )
        state = "blocked" if args.blocked else f"whitelist {args.whitelist}"
        print(f"token {uid} ({args.type}, {state}) stored as {token['contract_id']}")
    finally:
        await store.stop()
    return 0


async def _objects(args: argparse.Namespace) -> int:
    import json

    store = _open_store(args)
    try:
        rows = await store.crud.everything(ModuleID(args.module), args.as_version)
    finally:
        await store.stop()
    for _, doc in rows:
        print(json.dumps(doc, ensure_ascii=False, sort_keys=True))
    return 0


# -- db and simulate -----------------------------------------------------------------------------


async def _db(args: argparse.Namespace) -> int:
    from ocpi.store.db import create_engine
    from ocpi.store.migrate import current_revision
    from ocpp_gw.store import upgrade_all

    if args.action == "prune":
        return await _prune(args)

    await upgrade_all(args.db, schema=args.schema)
    engine = create_engine(args.db, schema=args.schema)
    try:
        revisions = sorted(await current_revision(engine))
    finally:
        await engine.dispose()
    print(f"{_safe_url(args.db)} is at {', '.join(revisions)}")
    return 0


async def _prune(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime, timedelta

    from ocpp_gw.store import prune

    store = _open_store(args)
    try:
        cutoff = datetime.now(UTC) - timedelta(days=args.older_than)
        removed = await prune(store.ocpi.db, before=cutoff)
    finally:
        await store.stop()
    print(
        f"removed {removed.transactions} transactions, {removed.meter_values} meter values,"
        f" {removed.security_events} security events, {removed.notifications} notifications"
        f" older than {cutoff.isoformat(timespec='seconds')}"
    )
    return 0


def _simulate(argv: Sequence[str]) -> int:
    from ocpp_gw.simulator.fleet import main as simulator_main

    arguments = list(argv)
    if not any(a == "--url" or a.startswith("--url=") for a in arguments):
        host, port = _env("HOST", "127.0.0.1"), _env("PORT", "8000")
        arguments = ["--url", f"ws://{host}:{port}/ocpp", *arguments]
    return simulator_main(arguments)


# -- the parser ----------------------------------------------------------------------------------


def _common(*, server: bool) -> argparse.ArgumentParser:
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        default=_env("DB", DEFAULT_URL),
        help="database URL (env OCPI_OCPP_DB; default %(default)s)",
    )
    parent.add_argument(
        "--schema",
        default=_env("SCHEMA"),
        help="PostgreSQL schema for every table (env OCPI_OCPP_SCHEMA; default: search path)",
    )
    if not server:
        return parent
    parent.add_argument("--host", default=_env("HOST", "127.0.0.1"), help="listen address")
    parent.add_argument("--port", type=int, default=int(_env("PORT", "8000") or 8000))
    parent.add_argument(
        "--public-url",
        default=_env("PUBLIC_URL"),
        help="URL partners and stations reach us at (default http://HOST:PORT)",
    )
    parent.add_argument("--country-code", default=_env("COUNTRY_CODE", "NL"))
    parent.add_argument("--party-id", default=_env("PARTY_ID", "EXA"))
    parent.add_argument("--name", default=_env("NAME", "ocpi-ocpp"), help="business name")
    parent.add_argument(
        "--role",
        type=str.upper,
        choices=[RoleEnum.cpo.value, RoleEnum.emsp.value],
        default=(_env("ROLE", "CPO") or "CPO").upper(),
        help="our OCPI role: cpo or emsp",
    )
    parent.add_argument(
        "--ocpi-version",
        action="append",
        choices=[v.value for v in SUPPORTED_VERSIONS],
        help="OCPI version to serve (repeat; env OCPI_OCPP_OCPI_VERSIONS=2.2.1,2.3.0; default: all)",
    )
    parent.add_argument(
        "--migrate",
        action="store_true",
        default=_env("MIGRATE", "") in ("1", "true", "yes"),
        help="apply migrations at start on PostgreSQL too (SQLite always migrates)",
    )
    return parent


_TOKEN_TYPES = ["RFID", "APP_USER", "AD_HOC_USER", "OTHER"]
_WHITELISTS = ["ALWAYS", "ALLOWED", "ALLOWED_OFFLINE", "NEVER"]
_OBJECT_MODULES = [
    ModuleID.locations,
    ModuleID.sessions,
    ModuleID.cdrs,
    ModuleID.tariffs,
    ModuleID.tokens,
]


def _bridge_arguments(serve: argparse.ArgumentParser) -> None:
    """``serve``'s bridge options (CPO): on/off, the defaults of new stations, timings."""
    on = _env("BRIDGE")
    group = serve.add_argument_group(
        "OCPP → OCPI bridge (CPO)", "stations as Locations, Sessions and CDRs (docs/bridge.md)"
    )
    group.add_argument(
        "--bridge",
        action=argparse.BooleanOptionalAction,
        default=None if on is None else on.lower() in ("1", "true", "yes", "on"),
        help="run the bridge (env OCPI_OCPP_BRIDGE=1/0; default: on for the CPO role)",
    )
    for flag, meta, text in (
        ("address", "TEXT", "street and number of a new station's location"),
        ("city", "TEXT", "its city"),
        ("postal-code", "TEXT", "its postal code"),
        ("country", "ISO3", "its country, ISO 3166-1 alpha-3 (e.g. NLD)"),
        ("coordinates", "LAT,LON", "its coordinates in decimal degrees"),
        ("time-zone", "ZONE", "its IANA time zone (e.g. Europe/Amsterdam)"),
    ):
        convert: Callable[[str], Any] = {
            "country": _country,
            "coordinates": _coordinates,
            "time-zone": _time_zone,
        }.get(flag, str)
        group.add_argument(
            f"--default-{flag}",
            metavar=meta,
            type=convert,
            default=_env("DEFAULT_" + flag.upper().replace("-", "_")),
            help=text,
        )
    group.add_argument(
        "--default-tariff",
        metavar="FILE.json",
        default=_env("DEFAULT_TARIFF"),
        help="OCPI 2.2.1 Tariff (JSON) pricing connectors without tariff_ids (default: free)",
    )
    for flag, default, text in (
        ("offline-after", "600", "seconds of silence before a station shows UNKNOWN (0: never)"),
        ("session-patch-interval", "60", "seconds between Session PATCHes to the eMSP"),
        ("authorization-budget", "5", "seconds for a token decision (asking eMSPs included)"),
    ):
        group.add_argument(
            f"--{flag}",
            type=float,
            metavar="SECONDS",
            default=_env(flag.upper().replace("-", "_"), default),
            help=f"{text} (default {default})",
        )


def build_parser() -> argparse.ArgumentParser:
    """The ``ocpi-ocpp`` argument parser (exposed for documentation and tests)."""
    server = _common(server=True)
    parser = argparse.ArgumentParser(
        prog="ocpi-ocpp", description="OCPI roaming and an OCPP CSMS on the built-in store."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    serve = commands.add_parser("serve", parents=[server], help="run the server")
    serve.add_argument(
        "--api-token",
        default=_env("API_TOKEN"),
        help="bearer token of the command API (default: OCPP_API_TOKEN, else generated)",
    )
    serve.add_argument(
        "--module", action="append", choices=[m.value for m in ModuleID], help="OCPI module"
    )
    serve.add_argument(
        "--accept-unknown-chargers",
        action="store_true",
        help="development only: let every station in without credentials",
    )
    serve.add_argument(
        "--ssl-certfile",
        default=_env("SSL_CERTFILE"),
        help="server certificate (PEM): serve https/wss (security profile 2)",
    )
    serve.add_argument("--ssl-keyfile", default=_env("SSL_KEYFILE"), help="its private key")
    serve.add_argument(
        "--ssl-ca-certs",
        default=_env("SSL_CA_CERTS"),
        help="CA of station certificates: accept client certificates (security profile 3)",
    )
    serve.add_argument(
        "--issue-token-a",
        action="store_true",
        help="issue a token A for a partner at start and print it",
    )
    serve.add_argument("--log-level", default=_env("LOG_LEVEL", "info"))
    _bridge_arguments(serve)
    serve.set_defaults(handler=_serve)

    partners = commands.add_parser("partners", help="OCPI partners (credentials handshake)")
    partner_actions = partners.add_subparsers(dest="action", required=True, metavar="ACTION")
    token_a = partner_actions.add_parser("token-a", parents=[server], help="issue a token A")
    token_a.add_argument("--partner-name", help="name to remember the partner by")
    register = partner_actions.add_parser(
        "register", parents=[server], help="register with a partner's versions URL"
    )
    register.add_argument("versions_url")
    register.add_argument("token_a")
    register.add_argument("--partner-name")
    listing = partner_actions.add_parser("list", parents=[server], help="list partners")
    listing.add_argument("--all", action="store_true", help="include unregistered partners")
    unregister = partner_actions.add_parser("unregister", parents=[server], help="unregister")
    unregister.add_argument("partner_id")
    unregister.add_argument("--no-notify", action="store_true", help="do not call the partner")
    partners.set_defaults(handler=_partners)

    chargers = commands.add_parser("chargers", help="charging stations and their credentials")
    charger_actions = chargers.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = charger_actions.add_parser("add", parents=[server], help="add (or update) a station")
    add.add_argument("charge_point_id")
    add.add_argument(
        "--password", help="Basic auth password; - reads it from stdin (default: generated)"
    )
    add.add_argument("--no-password", action="store_true", help="certificate (profile 3) only")
    add.add_argument("--certificate-cn", help="expected certificate CN (default: the id)")
    add.add_argument("--certificate-o", help="expected certificate O")
    for name, text in (("remove", "revoke a station's access"), ("show", "status of a station")):
        action = charger_actions.add_parser(name, parents=[server], help=text)
        action.add_argument("charge_point_id")
    listed = charger_actions.add_parser("list", parents=[server], help="list stations")
    listed.add_argument("--all", action="store_true", help="include unregistered stations")
    chargers.set_defaults(handler=_chargers)

    tokens = commands.add_parser(
        "tokens", help="tokens: an eMSP's drivers', a CPO's own cards; received ones"
    )
    token_actions = tokens.add_subparsers(dest="action", required=True, metavar="ACTION")
    token_add = token_actions.add_parser(
        "add", parents=[server], help="store (or replace) one of our tokens"
    )
    token_add.add_argument("uid", help="the token's uid (RFID: the card's UID, as stations send)")
    token_add.add_argument("--type", default="RFID", choices=_TOKEN_TYPES)
    token_add.add_argument("--contract-id", help="default: CC-PARTY-UID")
    token_add.add_argument("--whitelist", default="ALLOWED", choices=_WHITELISTS)
    token_add.add_argument("--blocked", action="store_true", help="store it as not valid")
    token_actions.add_parser("list", parents=[server], help="tokens: ours and received")
    tokens.set_defaults(handler=_tokens)

    objects = commands.add_parser(
        "objects",
        parents=[server],
        help="print stored OCPI objects, ours and received (one JSON object per line)",
    )
    objects.add_argument("module", choices=[m.value for m in _OBJECT_MODULES])
    objects.add_argument(
        "--as-version",
        default=VersionNumber.v_2_2_1.value,
        choices=[v.value for v in SUPPORTED_VERSIONS],
        help="OCPI version to print them in (default %(default)s)",
    )
    objects.set_defaults(handler=_objects)

    commands.add_parser(
        "simulate",
        add_help=False,
        help="simulated stations (options: ocpi-ocpp simulate --help)",
    )

    db = commands.add_parser("db", help="database")
    db_actions = db.add_subparsers(dest="action", required=True, metavar="ACTION")
    db_actions.add_parser("upgrade", parents=[_common(server=False)], help="apply migrations")
    pruning = db_actions.add_parser(
        "prune", parents=[_common(server=True)], help="delete history older than N days"
    )
    pruning.add_argument("--older-than", type=float, required=True, metavar="DAYS")
    db.set_defaults(handler=_db)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of ``ocpi-ocpp`` and ``python -m ocpp_gw``; returns the exit status."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["simulate"]:
        # Everything after "simulate" belongs to the simulator's own parser.
        return _simulate(arguments[1:])
    args = build_parser().parse_args(arguments)
    if args.command == "serve":
        logging.basicConfig(
            level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
    handler: Command = args.handler
    try:
        return asyncio.run(handler(args))
    except KeyboardInterrupt:
        return 130
