"""Tokens presented at stations, checked against the eMSPs' tokens: :class:`BridgeAuthorizer`.

Plugged into the gateway (``OCPPGateway(authorizer=bridge.authorizer)``), it answers every
Authorize, StartTransaction and TransactionEvent token:

* a token an eMSP pushed (``Crud.get(ModuleID.tokens, RoleEnum.cpo, uid, token_type=...)``)
  follows its ``whitelist``: ``ALWAYS`` and ``ALLOWED`` are decided locally from ``valid``;
  ``ALLOWED_OFFLINE`` asks the eMSP and, when the eMSP does not answer within the budget,
  accepts a valid token; ``NEVER`` asks the eMSP and refuses when it does not answer;
* an unknown token is asked of every eMSP offering real-time authorization, at once; the first
  ``ALLOWED`` wins;
* the token of a START_SESSION the bridge is executing is accepted (the eMSP sent it).

The eMSP's ``AllowedType`` becomes the OCPP status through
:data:`~ocpp_gw.bridge.tables.ALLOWED_TO_OCPP`. The whole decision stays within
``authorization_budget`` seconds, so the station gets its answer before its own timeout.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ocpi.core.client import OCPIClientError, OCPIHTTPError
from ocpi.core.enums import InterfaceRole, ModuleID
from ocpi.core.exceptions import NotFoundOCPIError
from ocpi.core.partner import PartnerClient
from ocpp_gw.bridge.directory import PartnerInfo
from ocpp_gw.bridge.render import TokenRef
from ocpp_gw.bridge.tables import ALLOWED_TO_OCPP, ocpi_token_type
from ocpp_gw.handlers.base import AuthorizationDecision, IdTokenInfo

if TYPE_CHECKING:
    from ocpp_gw.bridge.bridge import Bridge

__all__ = ["Authorization", "BridgeAuthorizer"]

logger = logging.getLogger(__name__)

_TOKEN_TYPES = ("RFID", "APP_USER", "AD_HOC_USER", "OTHER")


@dataclass(frozen=True)
class Authorization:
    """Why a token was accepted: the session it starts is charged to ``token`` at
    ``partner_key`` with ``auth_method`` (``WHITELIST``, ``AUTH_REQUEST``, ``COMMAND``)."""

    token: TokenRef
    partner_key: str | None
    auth_method: str
    authorization_reference: str | None = None


class BridgeAuthorizer:
    """The gateway :class:`~ocpp_gw.handlers.base.Authorizer` of the bridge."""

    def __init__(self, bridge: Bridge) -> None:
        self.bridge = bridge
        #: Latest accepted authorization per (station, token uid), read when a session starts.
        self.accepted: dict[tuple[str, str], Authorization] = {}

    async def __call__(self, charge_point_id: str, token: IdTokenInfo) -> AuthorizationDecision:
        budget = self.bridge.settings.authorization_budget
        try:
            async with asyncio.timeout(budget):
                return await self.decide(charge_point_id, token)
        except TimeoutError:
            logger.warning("%s token authorization exceeded %.1f s", charge_point_id, budget)
            return AuthorizationDecision("Invalid")

    async def decide(self, charge_point_id: str, token: IdTokenInfo) -> AuthorizationDecision:
        remote = self.bridge.commands.remote_start_token(charge_point_id, token.id_token)
        if remote is not None:
            self._accept(charge_point_id, remote)
            return AuthorizationDecision("Accepted")
        stored, token_type = await self.find_token(token.id_token, token.type)
        if stored is None:
            return await self._ask_everyone(charge_point_id, token, token_type)
        owner = await self.bridge.token_owner(stored)
        whitelist = str(stored.get("whitelist", "ALLOWED"))
        valid = bool(stored.get("valid", True))
        reference = self.bridge.token_ref(stored, owner)
        if whitelist in ("ALWAYS", "ALLOWED") or owner is None:
            if not valid:
                return AuthorizationDecision("Blocked")
            self._accept(charge_point_id, Authorization(reference, _key(owner), "WHITELIST"))
            return AuthorizationDecision("Accepted")
        answer = await self._ask_within_budget(owner, charge_point_id, token, token_type)
        if answer is None:  # no answer in time
            if whitelist == "ALLOWED_OFFLINE" and valid:
                self._accept(charge_point_id, Authorization(reference, owner.key, "WHITELIST"))
                return AuthorizationDecision("Accepted")
            return AuthorizationDecision("Invalid")
        return self._verdict(charge_point_id, answer, reference, owner)

    async def find_token(
        self, uid: str, ocpp_type: str | None
    ) -> tuple[Mapping[str, Any] | None, str]:
        """The token an eMSP pushed (tried with the OCPI type of ``ocpp_type`` first).

        Asked as the CPO itself (no partner's token), so the store answers whichever eMSP
        pushed it; the other types are tried for stores that key tokens by type strictly.
        """
        first = ocpi_token_type(ocpp_type)
        for token_type in (first, *(t for t in _TOKEN_TYPES if t != first)):
            try:
                found = await self.bridge.store_get(ModuleID.tokens, uid, token_type=token_type)
            except NotFoundOCPIError:
                found = None
            if found is not None:
                return _plain(found), token_type
        return None, first

    def _accept(self, charge_point_id: str, authorization: Authorization) -> None:
        self.accepted[(charge_point_id, authorization.token.uid)] = authorization

    def _verdict(
        self,
        charge_point_id: str,
        answer: Mapping[str, Any],
        reference: TokenRef | None,
        partner: PartnerInfo,
    ) -> AuthorizationDecision:
        allowed = str(answer.get("allowed", "NOT_ALLOWED"))
        status = ALLOWED_TO_OCPP.get(allowed, "Invalid")
        if status == "Accepted":
            token = answer.get("token")
            if isinstance(token, Mapping):
                reference = self.bridge.token_ref(token, partner)
            if reference is not None:
                self._accept(
                    charge_point_id,
                    Authorization(
                        reference,
                        partner.key,
                        "AUTH_REQUEST",
                        answer.get("authorization_reference"),
                    ),
                )
        return AuthorizationDecision(status)

    async def _ask_within_budget(
        self, partner: PartnerInfo, charge_point_id: str, token: IdTokenInfo, token_type: str
    ) -> Mapping[str, Any] | None:
        """The eMSP's AuthorizationInfo, or ``None`` when it did not answer (in time)."""
        try:
            async with asyncio.timeout(self.bridge.settings.authorization_budget * 0.8):
                return await self._ask(partner, charge_point_id, token, token_type)
        except TimeoutError:
            logger.info("%s: eMSP %s did not answer in time", charge_point_id, partner.key)
            return None

    async def _ask(
        self, partner: PartnerInfo, charge_point_id: str, token: IdTokenInfo, token_type: str
    ) -> Mapping[str, Any] | None:
        client = PartnerClient(
            self.bridge.client, partner.version, partner.endpoints, partner.token
        )
        references: dict[str, Any] = {
            "location_id": self.bridge.stations.location_id(charge_point_id)
        }
        if token.evse_id is not None:
            references["evse_uids"] = [
                self.bridge.stations.evse_uid(charge_point_id, token.evse_id)
            ]
        try:
            answer = await client.authorize(token.id_token, token_type, references)
        except OCPIHTTPError as exc:
            if exc.http_status == 404:  # not this eMSP's token
                return {"allowed": "NOT_ALLOWED", "unknown": True}
            logger.info("%s: eMSP %s authorization failed: %s", charge_point_id, partner.key, exc)
            return None
        except OCPIClientError as exc:
            logger.info("%s: eMSP %s authorization failed: %s", charge_point_id, partner.key, exc)
            return None
        return answer if isinstance(answer, Mapping) else None

    async def _ask_everyone(
        self, charge_point_id: str, token: IdTokenInfo, token_type: str
    ) -> AuthorizationDecision:
        partners = [
            p
            for p in await self.bridge.directory.partners()
            if p.has_endpoint(ModuleID.tokens, InterfaceRole.sender)
        ]
        if not partners:
            return AuthorizationDecision("Unknown")
        tasks = {
            asyncio.create_task(self._ask_within_budget(p, charge_point_id, token, token_type)): p
            for p in partners
        }
        verdict: AuthorizationDecision | None = None
        try:
            for finished in asyncio.as_completed(tasks):
                answer = await finished
                if answer is None or answer.get("unknown"):
                    continue
                partner = next(p for t, p in tasks.items() if t.done() and t.result() is answer)
                verdict = self._verdict(charge_point_id, answer, None, partner)
                if verdict.accepted:
                    return verdict
        finally:
            for task in tasks:
                task.cancel()
        return verdict or AuthorizationDecision("Unknown")


def _key(partner: PartnerInfo | None) -> str | None:
    return None if partner is None else partner.key


def _plain(value: Any) -> Mapping[str, Any]:
    if isinstance(value, Mapping):
        return value
    dump = getattr(value, "model_dump", None)
    if dump is not None:
        result: Mapping[str, Any] = dump(mode="json")
        return result
    return dict(value)
