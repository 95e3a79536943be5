"""Simulated charging stations for trying and testing the gateway (OCPP 1.6, 2.0.1 and 2.1).

Library::

    async with SimulatedStation("ws://127.0.0.1:9000/ocpp", "CP1", "2.0.1") as station:
        await station.boot()
        await station.start_transaction("TAG1", connector=1)

Command line (``--count 10`` runs CP1-1 … CP1-10)::

    python -m ocpp_gw.simulator --url ws://127.0.0.1:9000/ocpp --id CP1 --version 1.6
"""

from ocpp_gw.simulator.fleet import run_stations
from ocpp_gw.simulator.station import Answer, Connector, Dialect, SimulatedStation

__all__ = ["Answer", "Connector", "Dialect", "SimulatedStation", "run_stations"]
