"""Pushes to partners, in order, retried with backoff: :class:`Outbox`.

One queue and one worker task per partner: a partner that is down holds back only its own
updates, and the updates to one partner (hence to one object) leave in the order they were made.
A push failing on the network or with a 5xx answer is retried — first after ``retry_initial``
seconds, doubling up to ``retry_max`` — until it succeeds or has failed for ``retry_give_up``
seconds; an answer saying the request itself is wrong (4xx, an OCPI error status) is not
retried. Workers wait on their queue (no polling) and stop with :meth:`Outbox.close`::

    outbox = Outbox(directory, client, settings)
    outbox.push("partner-1", "PATCH EVSE", lambda p: p.patch(ModuleID.locations, body, ...))
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from ocpi.core.client import OCPIClient, OCPIHTTPError, OCPITransportError
from ocpi.core.partner import PartnerClient
from ocpp_gw.bridge.directory import PartnerDirectory
from ocpp_gw.bridge.settings import BridgeSettings

__all__ = ["Outbox", "PushJob"]

logger = logging.getLogger(__name__)

Send = Callable[[PartnerClient], Awaitable[Any]]


@dataclass
class PushJob:
    """One request to one partner; ``send`` receives a client bound to the partner as it is
    now (a rotated token or new endpoints are picked up by the next attempt)."""

    partner_key: str
    description: str
    send: Send
    attempts: int = 0
    created: float = field(default=0.0)


def _retryable(error: BaseException) -> bool:
    if isinstance(error, OCPITransportError):
        return True
    if isinstance(error, OCPIHTTPError):
        return error.http_status >= 500 or error.http_status in (408, 429)
    return False


class Outbox:
    """Per-partner ordered delivery with retries (see the module docstring)."""

    def __init__(
        self, directory: PartnerDirectory, client: OCPIClient, settings: BridgeSettings
    ) -> None:
        self.directory = directory
        self.client = client
        self.settings = settings
        self._queues: dict[str, asyncio.Queue[PushJob]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        #: Pushes delivered, given up, retried; being worked on now.
        self.delivered = 0
        self.failed = 0
        self.retries = 0
        self.busy = 0
        #: The latest deliveries, oldest first: (partner key, description).
        self.recent: deque[tuple[str, str]] = deque(maxlen=200)

    def push(self, partner_key: str, description: str, send: Send) -> PushJob:
        """Queue a request for ``partner_key``; returns at once."""
        job = PushJob(partner_key, description, send, created=asyncio.get_running_loop().time())
        queue = self._queues.get(partner_key)
        if queue is None:
            queue = self._queues[partner_key] = asyncio.Queue()
        queue.put_nowait(job)
        if partner_key not in self._workers:
            self._workers[partner_key] = asyncio.create_task(self._work(partner_key, queue))
        return job

    async def join(self) -> None:
        """Wait until every queued push was delivered or given up (tests, shutdown)."""
        for queue in list(self._queues.values()):
            await queue.join()

    def pending(self, partner_key: str | None = None) -> int:
        """Pushes waiting (for one partner or for all)."""
        if partner_key is not None:
            queue = self._queues.get(partner_key)
            return queue.qsize() if queue else 0
        return sum(queue.qsize() for queue in self._queues.values())

    async def close(self) -> None:
        workers = list(self._workers.values())
        self._workers.clear()
        for worker in workers:
            worker.cancel()
        for worker in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await worker

    async def _work(self, partner_key: str, queue: asyncio.Queue[PushJob]) -> None:
        while True:
            job = await queue.get()
            self.busy += 1
            try:
                await self._deliver(job)
            except Exception:
                logger.exception("push %s to %s failed", job.description, partner_key)
            finally:
                self.busy -= 1
                queue.task_done()

    async def _deliver(self, job: PushJob) -> None:
        loop = asyncio.get_running_loop()
        delay = self.settings.retry_initial
        give_up = self.settings.retry_give_up
        while True:
            job.attempts += 1
            info = await self.directory.partner(job.partner_key)
            if info is None:
                logger.info("partner %s is gone; dropping %s", job.partner_key, job.description)
                self.failed += 1
                return
            partner = PartnerClient(self.client, info.version, info.endpoints, info.token)
            try:
                await job.send(partner)
            except Exception as exc:
                if not _retryable(exc):
                    logger.warning(
                        "push %s to %s refused: %s", job.description, job.partner_key, exc
                    )
                    self.failed += 1
                    return
                if give_up is not None and loop.time() - job.created + delay > give_up:
                    logger.warning(
                        "push %s to %s given up after %d attempts",
                        job.description,
                        job.partner_key,
                        job.attempts,
                    )
                    self.failed += 1
                    return
                logger.info(
                    "push %s to %s failed (%s); retrying in %.1f s",
                    job.description,
                    job.partner_key,
                    type(exc).__name__,
                    delay,
                )
                self.retries += 1
                await asyncio.sleep(delay)
                delay = min(delay * 2, self.settings.retry_max)
                continue
            self.delivered += 1
            self.recent.append((job.partner_key, job.description))
            return
