"""The demo server: ``ocpi-ocpp serve --issue-token-a`` on the embedded SQLite default.

``scripts/serve`` runs the same command. An OCPI CPO platform on the built-in store plus the
OCPP gateway and the OCPP → OCPI bridge: the versions URL, a fresh token A, the OCPP endpoint,
the command and bridge APIs and their bearer token are printed at start. Stations must be added
first (``ocpi-ocpp chargers add CP1 --password s3cret-pass``), and the bridge accepts only tokens
an eMSP knows or the CPO's own cards (``ocpi-ocpp tokens add TAG1``); see
``docs/standalone.md`` and ``docs/bridge.md``.

::

    python -m examples.standalone --port 8000
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from ocpp_gw.cli import main as cli_main


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    return cli_main(["serve", "--issue-token-a", *arguments])


if __name__ == "__main__":
    raise SystemExit(main())
