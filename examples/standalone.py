"""The demo server behind ``scripts/serve``: an OCPI CPO platform (in-memory backend) and the OCPP
gateway in one FastAPI application.

Chargers connect to ``ws://HOST:PORT/ocpp/<identity>``; the demo accepts unknown chargers (the
gateway's explicit development switch — never turn it on in production). The OCPI versions URL and a
fresh token A are printed at start.
"""

from __future__ import annotations

import argparse
import secrets
from typing import Any

import uvicorn

from examples.memory_backend import create_app
from ocpi import RoleEnum, Settings
from ocpp_gw import GatewaySettings, OCPPGateway


def build(host: str, port: int) -> tuple[Any, Any, OCPPGateway]:
    settings = Settings(
        OCPI_HOST=f"{host}:{port}",
        PROTOCOL="http",
        COUNTRY_CODE="NL",
        PARTY_ID="EXA",
        PROJECT_NAME="ocpi-ocpp demo CPO",
    )
    gateway = OCPPGateway(
        settings=GatewaySettings(accept_unknown_chargers=True, api_token=secrets.token_urlsafe(16))
    )
    app, store = create_app(settings, [RoleEnum.cpo], ocpp_gateway=gateway)
    return app, store, gateway


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    args = parser.parse_args(argv)
    app, store, gateway = build(args.host, args.port)
    base = f"http://{args.host}:{args.port}"
    print(f"OCPI versions URL : {base}/ocpi/versions")
    print(f"OCPI token A      : {store.new_token_a()}")
    print(f"OCPP endpoint     : ws://{args.host}:{args.port}/ocpp/<charge point id>")
    token = gateway.settings.api_token.get_secret_value() if gateway.settings.api_token else ""
    print(f"Command API       : {base}/api/ocpp/chargers  (Authorization: Bearer {token})")
    print(f"API docs          : {base}/ocpi/docs")
    uvicorn.run(app, host=args.host, port=args.port, **gateway.uvicorn_options())


if __name__ == "__main__":
    main()
