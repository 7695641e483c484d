"""The fake Anova cloud: WebSocket API, login endpoints, cookers, ovens and a clock.

:class:`CloudSimulator` owns everything and runs on one asyncio loop. A
background ticker follows the :class:`~bridge.simulator.clock.SimClock`:
it steps every device's physics up to the clock, pushes
``EVENT_APC_STATE`` when something a client cares about changed (and every
``push_interval`` real seconds while a cooker is cooking), pushes
``EVENT_APO_STATE`` on change and every 30 s (idle) or 2 s (cooking) of
simulated time, and hangs up on sockets whose ID token has expired. Tests
move time with :meth:`advance`. What happens on a socket lives in
:mod:`~bridge.simulator.socket_side`, the ovens' hooks in
:mod:`~bridge.simulator.oven_controls`.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Mapping
from types import TracebackType
from typing import Any

from websockets.asyncio.server import Server, ServerConnection, serve

from bridge.logs import get_logger
from bridge.simulator.auth import TokenBook
from bridge.simulator.client import POLICY_VIOLATION, Client
from bridge.simulator.clock import SimClock
from bridge.simulator.commands import ReceivedCommand
from bridge.simulator.cooker import SimCooker, make_cookers
from bridge.simulator.device import SimDevice
from bridge.simulator.faults import SimFaults
from bridge.simulator.http_server import HttpServer
from bridge.simulator.identity import make_identities, make_oven_identities
from bridge.simulator.kinds import SIM_KINDS, SimKinds
from bridge.simulator.oven import make_ovens
from bridge.simulator.oven_controls import OvenControls
from bridge.simulator.oven_pusher import OvenPusher
from bridge.simulator.oven_traps import OvenTraps
from bridge.simulator.precision_oven import SIM_PRECISION_OVEN, OvenFleet
from bridge.simulator.pusher import StatePusher
from bridge.simulator.ratelimit import AccountLimiter
from bridge.simulator.routes import Routes
from bridge.simulator.socket_side import SocketSide
from bridge.simulator.sous_vide import SIM_SOUS_VIDE

DEMO_TOKEN = "anova-demo"  # noqa: S105 - the simulator's published demo token
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - the simulator's published demo login
DEFAULT_TYPES = ("a7", "a5")
MAX_FRAME_BYTES = 64 * 1024

log = get_logger("simulator")


class CloudSimulator(SocketSide, OvenControls):
    """A local stand-in for ``wss://devices.anovaculinary.io`` and Firebase login.

    Args:
        token: the personal access token the WebSocket accepts.
        cookers: how many cookers are paired to the account.
        types: cooker types, cycled over the cookers in order.
        clock: the simulated clock; a real-time one by default.
        host: interface to bind both servers to.
        port: WebSocket port; 0 picks a free one.
        http_port: login/control HTTP port; 0 picks a free one.
        push_interval: real seconds between state pushes while cooking.
        users: email → password accounts for the login endpoint.
        id_token_ttl: ID token lifetime in simulated seconds.
        seed: varies the cooker ids and the probes' noise; the same seed
            gives the same ids and the same readings.
        volume_l: water volume of every bath.
        room_c: room temperature, which baths start at and cool towards.
        heater_lag_s: the heater elements' time constant; 25 s gives the few
            tenths of a degree of overshoot real cookers show, 0 none.
        sensor_noise_c: the probes' noise (standard deviation, °C); 0 none.
        kinds: the simulated device kinds on the socket (:data:`SIM_KINDS`).
        ovens: oven types paired besides the cookers, one oven each
            (``["oven_v1", "oven_v2"]``); none by default.
        oven_traps: the ovens' traps; all on by default (:class:`OvenTraps`).
    """

    def __init__(
        self,
        token: str = DEMO_TOKEN,
        cookers: int = 1,
        types: list[str] | None = None,
        clock: SimClock | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        http_port: int = 0,
        push_interval: float = 2.0,
        users: Mapping[str, str] | None = None,
        id_token_ttl: float = 3600.0,
        seed: int | str | None = None,
        volume_l: float = 6.0,
        room_c: float = 21.0,
        heater_lag_s: float = 0.0,
        sensor_noise_c: float = 0.0,
        kinds: SimKinds = SIM_KINDS,
        ovens: list[str] | None = None,
        oven_traps: OvenTraps | None = None,
    ) -> None:
        self.clock = clock or SimClock()
        self.faults = SimFaults()
        self.account_limits = AccountLimiter(self.clock, self.faults)
        self.tokens = TokenBook(
            token, {DEMO_EMAIL: DEMO_PASSWORD} if users is None else users, id_token_ttl, self.clock
        )
        now = self.clock.time()
        identities = make_identities(cookers, list(types or DEFAULT_TYPES), seed)
        self._cookers = make_cookers(
            identities,
            now,
            seed,
            volume_l=volume_l,
            room_c=room_c,
            heater_lag_s=heater_lag_s,
            sensor_noise_c=sensor_noise_c,
        )
        oven_ids = make_oven_identities(list(ovens or []), seed)
        self._ovens = OvenFleet(make_ovens(oven_ids, now, room_c=room_c), oven_traps or OvenTraps())
        self._kinds = kinds
        # Each kind's devices, by kind name (an empty fleet greets nobody).
        self._fleet: dict[str, Any] = {
            SIM_SOUS_VIDE.name: self._cookers,
            SIM_PRECISION_OVEN.name: self._ovens,
        }
        self.received_commands: list[ReceivedCommand] = []
        self.connections_opened = 0
        # Connections greeted and then closed by a rate limit or the fault.
        self.connections_refused = 0
        # Every frame read from any socket, garbage included: a barrier for tests.
        self.frames_received = 0
        self.host = host
        self._ws_port = port
        self._http = HttpServer(Routes(self), host, http_port)
        self._ws_server: Server | None = None
        self._clients: dict[ServerConnection, Client] = {}
        self._tasks: set[asyncio.Task[Any]] = set()
        self._ticker: asyncio.Task[None] | None = None
        self._pusher = StatePusher(
            self._clients.values, self.faults, push_interval, self._state_event
        )
        self._pusher.forget_all(self._cookers.values())
        self._oven_pusher = OvenPusher(self._clients.values, self.faults)
        self._oven_pusher.forget_all(self._ovens.values())

    # -- lifecycle --------------------------------------------------------------

    async def start(self) -> None:
        """Bind both servers and start the clock-following ticker."""
        self._ws_server = await serve(
            self._handle,
            self.host,
            self._ws_port,
            process_request=self._check_token,
            max_size=MAX_FRAME_BYTES,
        )
        self._ws_port = next(iter(self._ws_server.sockets)).getsockname()[1]
        await self._http.start()
        self._ticker = asyncio.create_task(self._tick_forever(), name="simulator-ticker")
        log.info("simulator_started", ws_url=self.ws_url, http_url=self.http_url)

    async def stop(self) -> None:
        """Close every socket (code 1001), stop serving, keep the cookers."""
        if self._ticker is not None:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
            self._ticker = None
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._ws_server is not None:
            self._ws_server.close()
            await self._ws_server.wait_closed()
            self._ws_server = None
        await self._http.stop()
        log.info("simulator_stopped")

    async def restart(self) -> None:
        """Stop and start again on the same ports, as a cloud outage would look."""
        await self.stop()
        await self.start()

    async def __aenter__(self) -> CloudSimulator:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- public views -------------------------------------------------------------

    @property
    def ws_url(self) -> str:
        """``ws://host:port`` of the WebSocket API (add ``?token=…``)."""
        return f"ws://{_url_host(self.host)}:{self._ws_port}"

    @property
    def http_url(self) -> str:
        """``http://host:port`` of the login endpoints and control surface."""
        return f"http://{_url_host(self.host)}:{self._http.port}"

    @property
    def port(self) -> int:
        """The WebSocket port (the free one picked when 0 was asked)."""
        return self._ws_port

    @property
    def http_port(self) -> int:
        """The HTTP port (the free one picked when 0 was asked)."""
        return self._http.port

    @property
    def push_interval(self) -> float:
        """Real seconds between state pushes of a cooking cooker; settable."""
        return self._pusher.push_interval

    @push_interval.setter
    def push_interval(self, seconds: float) -> None:
        self._pusher.push_interval = seconds

    @property
    def cookers(self) -> list[SimCooker]:
        """Every paired cooker, in device-list order."""
        return list(self._cookers.values())

    def cooker(self, cooker_id: str) -> SimCooker:
        """The cooker with this id.

        Raises:
            KeyError: no such cooker.
        """
        return self._cookers[cooker_id]

    @property
    def active_connections(self) -> int:
        """Sockets currently open."""
        return len(self._clients)

    def snapshot(self) -> dict[str, Any]:
        """Everything the control surface's ``/_sim/state`` shows."""
        self._sync()
        return {
            "clock": self.clock.now().isoformat(),
            "speed": self.clock.speed,
            "connections": self.active_connections,
            "connections_opened": self.connections_opened,
            "connections_refused": self.connections_refused,
            "cookers": [c.summary() for c in self._cookers.values()],
            "ovens": [o.summary() for o in self._ovens.values()],
            "oven_traps": self.oven_traps.as_dict(),
        }

    # -- test and demo controls ------------------------------------------------------

    def unplug(self, cooker_id: str) -> None:
        """The cloud stops hearing this cooker: no pushes, commands acknowledged but lost."""
        self.cooker(cooker_id).plugged = False
        log.info("cooker_unplugged", cooker_id=cooker_id)

    def plug(self, cooker_id: str) -> None:
        """The cooker is heard again and pushes its current state at once."""
        cooker = self.cooker(cooker_id)
        cooker.plugged = True
        self._sync()
        self._pusher.push(cooker)

    def set_low_water(self, cooker_id: str, on: bool) -> None:
        """Raise or clear the low-water alarm; the heater stops while it is raised."""
        self.set_alarm(cooker_id, "low_water", on)

    def set_alarm(self, cooker_id: str, name: str, on: bool) -> None:
        """Raise or clear one of the alarms the cooker's generation reports, and push.

        Raises:
            KeyError: no such cooker.
            ValueError: an alarm this cooker's generation does not report.
        """
        cooker = self.cooker(cooker_id)
        self._sync()
        cooker.set_alarm(name, on)
        log.info("cooker_alarm", cooker_id=cooker_id, alarm=name, on=on)
        self._pusher.push_due(self._cookers.values())

    def expire_tokens(self) -> None:
        """Invalidate every issued ID token and close the sockets that used one."""
        self.tokens.expire_all()
        self._drop_expired_sessions()

    async def advance(self, seconds: float) -> None:
        """Move the clock forward, run the physics through it, and push now."""
        self.clock.advance(seconds)
        self._sync()
        self._drop_expired_sessions()
        self._pusher.push_due(self._cookers.values(), cooking_now=True)
        self._oven_pusher.push_due(self._ovens.values())
        # Let the event loop hand the frames to the sockets before returning.
        await asyncio.sleep(0)

    # -- time and pushes ---------------------------------------------------------------

    async def _tick_forever(self) -> None:
        interval = min(0.2, max(0.02, self.push_interval / 4))
        while True:
            try:
                self._sync()
                self._pusher.push_due(self._cookers.values())
                self._oven_pusher.push_due(self._ovens.values())
                self._drop_expired_sessions()
            except Exception:  # keep ticking; one bad step must not freeze the cloud
                log.exception("tick_failed")
            await asyncio.sleep(interval)

    def _sync(self) -> None:
        now = self.clock.time()
        for cooker in self._cookers.values():
            cooker.step_to(now)
        for oven in self._ovens.values():
            oven.step_to(now)

    def _state_event(self, device: SimCooker) -> dict[str, Any]:
        """A cooker's state event, written by its kind."""
        owner = next(name for name, devices in self._fleet.items() if device.cooker_id in devices)
        return self._kinds.named(owner).state_event(device)

    def _push_changed(self, device: SimDevice) -> None:
        """Push a device a command just changed, by its kind's pusher."""
        if isinstance(device, SimCooker):
            self._pusher.push(device)
        elif device.cooker_id in self._ovens:
            self._oven_pusher.push(self._ovens[device.cooker_id])

    def _drop_expired_sessions(self) -> None:
        for client in list(self._clients.values()):
            token = client.token
            if client.muted or not self.tokens.is_id_token(token):
                continue
            if not self.tokens.id_token_alive(token):
                log.info("session_expired", connection=client.number)
                client.muted = True
                self._spawn(client.close(POLICY_VIOLATION, "token expired"))


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host
