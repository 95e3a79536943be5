"""``python -m ocpp_gw.simulator --url ws://127.0.0.1:9000/ocpp --id CP1 --version 1.6``."""

from ocpp_gw.simulator.fleet import main

raise SystemExit(main())
