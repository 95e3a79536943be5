"""``python -m ocpp_gw``: the ``ocpi-ocpp`` command (see :mod:`ocpp_gw.cli`)."""

from ocpp_gw.cli import main

raise SystemExit(main())
