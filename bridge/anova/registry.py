"""The cookers the client knows: device list, latest states, liveness, listeners.

The client's socket code hands every parsed device list and state here; the
registry keeps the latest of each, feeds the command confirmations, decides
offline-ness with :class:`Liveness`, and tells the listener. Keeping this
bookkeeping apart from the socket keeps both halves small.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bridge.anova.confirmation import StateWaiters
from bridge.anova.device import CookerInfo
from bridge.anova.listener import AnovaListener, ClientStats
from bridge.anova.liveness import Liveness
from bridge.anova.state import CookerPhase, CookerState
from bridge.errors import CommandError, ErrorCode
from bridge.logs import get_logger

log = get_logger("anova.client")


class CookerRegistry:
    """Latest device list and states, and who to tell about them.

    Args:
        listener: the consumer of states and device lists.
        stats: where ``last_seen`` is recorded.
        clock: wall-clock now, for ``last_seen``.
        offline_after: seconds of silence before a cooker is offline.
        offline_grace: seconds the socket may be down before all are offline.
        on_quiet: called when a cooker has been silent for half of ``offline_after``.
    """

    def __init__(
        self,
        listener: AnovaListener,
        stats: ClientStats,
        clock: Callable[[], datetime],
        *,
        offline_after: float,
        offline_grace: float,
        on_quiet: Callable[[str], None] | None = None,
    ) -> None:
        self._listener = listener
        self._stats = stats
        self._clock = clock
        self.waiters = StateWaiters()
        self.liveness = Liveness(offline_after, offline_grace, self.went_offline, on_quiet)
        self.devices: dict[str, CookerInfo] = {}
        self.states: dict[str, CookerState] = {}
        self._offline: set[str] = set()

    def device(self, cooker_id: str) -> CookerInfo:
        """The listed cooker with this id.

        Raises:
            CommandError: UNKNOWN_DEVICE, the account has no such cooker.
        """
        device = self.devices.get(cooker_id)
        if device is None:
            raise CommandError(
                ErrorCode.UNKNOWN_DEVICE,
                f"no cooker {cooker_id!r} in the Anova account",
                field="cooker_id",
            )
        return device

    def replace_devices(self, devices: list[CookerInfo], kind: str) -> None:
        """A fresh device list of one kind: forget its devices that left, watch new ones.

        Each kind has its own device-list event, so a list replaces only the
        devices of its own kind; the listener hears every kind's devices.
        """
        listed = {d.cooker_id: d.model_copy(update={"kind": kind}) for d in devices}
        mine = {i for i, device in self.devices.items() if device.kind == kind}
        for gone in mine - set(listed):
            self._forget(gone)
        others = {i: device for i, device in self.devices.items() if device.kind != kind}
        self.devices = {**others, **listed}
        self.liveness.track(listed)
        log.info("anova_devices", count=len(self.devices))
        self.notify(self._listener.on_devices, list(self.devices.values()))

    def _forget(self, gone: str) -> None:
        self.devices.pop(gone, None)
        self.liveness.forget(gone)
        self.states.pop(gone, None)
        self._offline.discard(gone)

    def accept(self, state: CookerState) -> None:
        """A parsed state: record it, restart its silence timer, tell everyone."""
        self._stats.last_seen[state.cooker_id] = self._clock()
        self.liveness.heard(state.cooker_id)
        if state.phase is CookerPhase.OFFLINE:
            self._offline.add(state.cooker_id)
        else:
            self._offline.discard(state.cooker_id)
        self._publish(state)
        self.waiters.offer(state)

    def went_offline(self, cooker_id: str) -> None:
        """Publish a synthetic OFFLINE state once per silence.

        It carries the last known values (flagged offline) so consumers keep
        the setpoint and cook they knew; none are re-read as current.
        """
        if cooker_id in self._offline:
            return
        self._offline.add(cooker_id)
        last = self.states.get(cooker_id)
        if last is not None:
            state = last.model_copy(update={"phase": CookerPhase.OFFLINE, "online": False})
        else:
            device = self.devices.get(cooker_id)
            state = CookerState(
                cooker_id=cooker_id,
                type=device.type if device else "",
                phase=CookerPhase.OFFLINE,
                online=False,
            )
        log.info("anova_cooker_offline", cooker_id=cooker_id)
        self._publish(state)

    def connection_changed(self, connected: bool) -> None:
        """Tell the listener the socket opened or closed."""
        self.notify(self._listener.on_connection_change, connected)

    def notify(self, callback: Callable[..., None], *args: Any) -> None:
        """Call a listener callback; its failure is logged, never raised into the socket."""
        try:
            callback(*args)
        except Exception:  # one bad consumer must not take the cloud link down
            log.exception("anova_listener_failed", callback=getattr(callback, "__name__", "?"))

    def _publish(self, state: CookerState) -> None:
        self.states[state.cooker_id] = state
        self.notify(self._listener.on_state, state)
