"""What differs between OCPI versions at the transport level, as data.

Modules look these facts up instead of branching on version strings.
"""

from __future__ import annotations

from dataclasses import dataclass

from ocpi.modules.versions.enums import VersionNumber

__all__ = ["SUPPORTED_VERSIONS", "TransportSpec", "transport_spec"]


@dataclass(frozen=True, slots=True)
class TransportSpec:
    version: VersionNumber
    #: ``Authorization: Token <base64(token)>`` (2.2+) rather than the plain token (2.1.1).
    base64_tokens: bool
    #: Endpoints in ``/details`` carry a ``role`` (SENDER/RECEIVER) — 2.2+.
    endpoint_roles: bool
    #: Credentials carry a list of roles (2.2+) rather than one party (2.1.1).
    credentials_roles: bool
    #: Credentials may carry ``hub_party_id`` (2.3.0).
    hub_party_id: bool
    #: Hub message-routing headers exist (2.2+).
    routing_headers: bool


_SPECS = {
    VersionNumber.v_2_1_1: TransportSpec(VersionNumber.v_2_1_1, False, False, False, False, False),
    VersionNumber.v_2_2_1: TransportSpec(VersionNumber.v_2_2_1, True, True, True, False, True),
    VersionNumber.v_2_3_0: TransportSpec(VersionNumber.v_2_3_0, True, True, True, True, True),
}

#: Versions this library serves, oldest first.
SUPPORTED_VERSIONS: tuple[VersionNumber, ...] = tuple(_SPECS)


def transport_spec(version: VersionNumber | str) -> TransportSpec:
    """The transport facts of ``version``; ``ValueError`` for a version we do not serve."""
    try:
        return _SPECS[VersionNumber(version)]
    except (KeyError, ValueError) as exc:
        raise ValueError(f"OCPI version {version!r} is not supported") from exc
