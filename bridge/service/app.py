"""The bridge service: one asyncio loop owning every cooker's state.

It is the Anova client's listener (states in), the MQTT connection's message
handler (commands in), and the only publisher. Start-up order: MQTT first (so
the Last Will is registered before anything else), then the cloud; shutdown
reverses it after in-flight commands finish.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import datetime
from typing import TYPE_CHECKING, Any

from bridge.anova.client import AnovaClient
from bridge.anova.commands import CommandOutcome, StopCook
from bridge.anova.device import CookerInfo
from bridge.anova.state import CookerState
from bridge.errors import AnovaAuthError
from bridge.hass.planner import CookerEntry
from bridge.health import HealthServer
from bridge.kinds import KINDS
from bridge.logs import get_logger
from bridge.metrics import BridgeMetrics
from bridge.mqtt.connection import MqttConnection
from bridge.mqtt.message import InboundMessage
from bridge.mqtt.topics import BridgeRequestTopic, DeviceCommandTopic
from bridge.scheduler import PeriodicJobs
from bridge.service.budget import BudgetGuard
from bridge.service.contexts import CookContexts
from bridge.service.contextstore import CookContextStore, data_directory
from bridge.service.cooker import CookerRecord
from bridge.service.directory import CookerDirectory
from bridge.service.drift import outside_change
from bridge.service.homeassistant import HomeAssistantLink
from bridge.service.inbox import CommandInbox
from bridge.service.outbound import Outbound
from bridge.service.payloads import utc_now
from bridge.service.pipeline import CommandPipeline
from bridge.service.reports import BridgeReports, ReportSources
from bridge.service.requests import BridgeRequests
from bridge.settings import Settings

if TYPE_CHECKING:
    import httpx

log = get_logger("service")
DRAIN_TIMEOUT_S = 5.0
LANE_DRAIN_MIN_S = 1.0  # a command already at the cloud gets this long even after a backlog


class BridgeService:
    """Connects MQTT and the Anova cloud and keeps them in step until stopped."""

    def __init__(self, settings: Settings, *, http: httpx.AsyncClient | None = None) -> None:
        self.settings = settings
        self.started_at: datetime = utc_now()
        self.metrics = BridgeMetrics()
        self.directory = CookerDirectory()
        self._tasks: set[asyncio.Task[None]] = set()
        self.mqtt = MqttConnection(
            settings.mqtt, on_message=self._on_message, on_connect=self._on_mqtt_connect
        )
        self.client = AnovaClient(settings.anova, self, http=http, kinds=KINDS.cloud())
        self.outbound = Outbound(self.mqtt, settings)
        self.contexts = CookContexts(CookContextStore(data_directory(settings)), self.cookers)
        self.pipeline = CommandPipeline(
            settings,
            directory=self.directory,
            control=self.client,
            contexts=self.contexts,
            outbound=self.outbound,
            metrics=self.metrics,
            link=self.mqtt,
        )
        self.budget = BudgetGuard(
            settings,
            publish=self.outbound.event,
            save=self.contexts.save,
            stop=self._stop_cook,
            spawn=self._spawn,
        )
        self.homeassistant = self._homeassistant(settings)
        self.reports = BridgeReports(
            ReportSources(
                settings=settings,
                started_at=self.started_at,
                metrics=self.metrics,
                mqtt=self.mqtt,
                cloud=self.client,
                cookers=self.directory,
                backlog=self.pipeline.inbox,
            )
        )
        self.requests = BridgeRequests(
            self.reports, self.outbound, self.directory, self.homeassistant, settings.rate_limit
        )
        self.jobs = PeriodicJobs()
        self.health: HealthServer | None = None

    @property
    def cookers(self) -> dict[str, CookerRecord]:
        """Every cooker of the account, by cloud id."""
        return self.directory.by_id

    @property
    def inbox(self) -> CommandInbox:
        """The command pipeline's first stage."""
        return self.pipeline.inbox

    def _homeassistant(self, settings: Settings) -> HomeAssistantLink | None:
        if not settings.homeassistant.enabled:
            return None
        link = HomeAssistantLink(
            settings,
            lambda topic, payload: self.mqtt.publish(topic, payload, retain=True),
            cookers=self.discovery_entries,
            republish_states=self.republish_all,
        )
        for topic in link.subscriptions:
            self.mqtt.subscribe(topic)
        return link

    @property
    def ready(self) -> bool:
        """Connected to MQTT and the cloud: what systemd's READY=1 means here."""
        return self.mqtt.connected and self.client.connected

    # ----------------------------------------------------------------- lifecycle
    async def run(self, stop: asyncio.Event) -> int:
        """Run until ``stop`` is set; returns the process exit code."""
        for topic in self.outbound.topics.subscriptions:
            self.mqtt.subscribe(topic)
        await self.mqtt.start()
        self._start_health()
        if self.homeassistant is not None:
            self._spawn(self._scan_discovery())
        cloud = asyncio.create_task(self.client.run(), name="anova-client")
        self.jobs.every(self.settings.state_interval, self._republish_job, name="state-republish")
        self.jobs.every(self.settings.health.interval, self._health_job, name="health")
        self.jobs.start()
        code = await self._wait(stop, cloud)
        await self._shutdown(cloud)
        return code

    async def _wait(self, stop: asyncio.Event, cloud: asyncio.Task[None]) -> int:
        stopper = asyncio.create_task(stop.wait())
        done, _ = await asyncio.wait({stopper, cloud}, return_when=asyncio.FIRST_COMPLETED)
        stopper.cancel()
        if cloud in done and cloud.exception() is not None:
            err = cloud.exception()
            if isinstance(err, AnovaAuthError):
                log.error("anova_credentials_refused", code=err.code.value, reason=err.message)
                return 1
            log.error("anova_client_stopped", error=repr(err))
            return 1
        return 0

    async def _shutdown(self, cloud: asyncio.Task[None]) -> None:
        log.info("stopping_finishing_commands", pending=self.pipeline.pending)
        self.mqtt.publish(self.outbound.topics.bridge_availability, "offline", retain=True)
        await self._drain()
        self.jobs.stop()
        if self.homeassistant is not None:
            self.homeassistant.cancel()
        await self.client.close()
        cloud.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await cloud
        await self.mqtt.disconnect()
        await self.contexts.flushed()
        if self.health is not None:
            # shutdown() waits for the server thread's next poll (up to 0.5 s):
            # keep that off the loop.
            await asyncio.to_thread(self.health.stop)
        log.info("stopped")

    async def _drain(self) -> None:
        """Handle what was read, then finish the lanes' commands: 5 s (at least 1 s for lanes)."""
        unfinished = await self.pipeline.drain(
            DRAIN_TIMEOUT_S, lane_minimum=LANE_DRAIN_MIN_S, clock=time.monotonic
        )
        if self._tasks:
            await asyncio.wait(self._tasks, timeout=1.0)
        for lane in unfinished:
            log.warning("command_lane_not_finished", lane=lane.name)
            await lane.cancel()

    def _start_health(self) -> None:
        if not self.settings.health.enabled:
            return
        health = self.settings.health
        self.health = HealthServer(
            health.host, health.port, self.reports.healthz, self.reports.metrics_text
        )
        self.health.start()

    async def _stop_cook(self, cooker_id: str) -> CommandOutcome:
        return await self.client.execute(StopCook(cooker_id))

    def _spawn(self, coro: Any) -> None:
        task = asyncio.create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    # ----------------------------------------------------------------- MQTT side
    async def _on_mqtt_connect(self) -> None:
        """After every (re)connect: info, health, changed discovery, every state.

        Discovery is not forced here: Home Assistant announces itself again
        when the broker comes back, and its birth message forces a republish.
        """
        self.metrics.mqtt_connected.set(1)
        self.outbound.bridge_info(self.reports.info())
        self.outbound.bridge_health(self.reports.health())
        if self.homeassistant is not None:
            self.homeassistant.update(self.discovery_entries())
        self.republish_all()

    def _on_message(self, message: InboundMessage) -> None:
        """Route one inbound message; only a command that will run gets a task of its own."""
        if self.homeassistant is not None and self.homeassistant.handles(message.topic):
            self.homeassistant.on_message(message)
            return
        route = self.outbound.topics.parse(message.topic)
        if isinstance(route, DeviceCommandTopic):
            self.pipeline.inbox.offer(route, message)
        elif isinstance(route, BridgeRequestTopic):
            self._spawn(self.requests.handle(route.action, message))

    async def _scan_discovery(self) -> None:
        """Read the retained discovery configs once, after the first connect, then stop.

        The window must start at the connection, not at start-up: with the
        broker down at start-up it would otherwise close before anything was
        read and stale configs would never be cleared. Once read, the
        wildcards are dropped so the bridge stops receiving every discovery
        message on the broker, its own included.
        """
        link = self.homeassistant
        assert link is not None
        await self.mqtt.connected_event.wait()
        await link.scan()
        for topic in link.scan_subscriptions:
            self.mqtt.unsubscribe(topic)
        if self.cookers:
            link.start(self.discovery_entries())

    # ------------------------------------------------------- Anova listener side
    def on_connection_change(self, connected: bool) -> None:
        """Cloud link went up or down (cookers follow through the client's OFFLINE states)."""
        self.metrics.cloud_connected.set(1 if connected else 0)
        log.info("anova_cloud_connection", connected=connected)

    def on_devices(self, devices: list[CookerInfo]) -> None:
        """The cloud's device list: add new cookers, retire vanished ones."""
        present = {device.cooker_id: self._named(device) for device in devices}
        for cooker_id in set(self.cookers) - set(present):
            self._retire(self.cookers[cooker_id])
        for cooker_id, info in present.items():
            if cooker_id not in self.cookers:
                self.directory.add(self._record(info))
            else:
                self.cookers[cooker_id].listed(info)
        self.directory.assign_topics(self.settings.devices)
        self.mqtt.set_topic_ids(self.directory.topic_ids)
        self.pipeline.gate.open()
        if self.mqtt.connected:
            # Before the first CONNACK the info would describe a broker not yet
            # heard from; the connect publishes it, with what the broker said.
            self.outbound.bridge_info(self.reports.info())
        if self.homeassistant is not None:
            self.homeassistant.update(self.discovery_entries())
        self.republish_all(force=False)

    def on_state(self, state: CookerState) -> None:
        """A cooker's new state: derive events, then publish state and availability."""
        cooker = self.cookers.get(state.cooker_id)
        if cooker is None:
            return
        previous = cooker.observe(state)
        self.contexts.on_state(cooker, state)
        for event in KINDS.named(cooker.info.kind).events(previous, state):
            self.outbound.event(cooker, event)
        if previous is not None and previous.is_cooking != state.is_cooking:
            # A food given for "the next cook" never outlives a cook, even one
            # started on the cooker itself, whose food the bridge cannot know.
            if state.is_cooking:
                cooker.forget_next_food()
            else:
                cooker.cook_ended()
        self._check_outside_change(cooker)
        self.budget.check(cooker)
        firmware_changed = previous is None or previous.firmware != state.firmware
        if firmware_changed and self.homeassistant is not None:
            entry = CookerEntry(cooker.info, cooker.topic_id, state.firmware)
            self.homeassistant.update_cooker(entry, self.discovery_entries())
        self.outbound.cooker(cooker)
        self.metrics.cookers_online.set(sum(1 for c in self.cookers.values() if c.online))

    def _check_outside_change(self, cooker: CookerRecord) -> None:
        """A setpoint or timer changed on the cooker itself: announce it if it is unsafe."""
        changed, event = outside_change(cooker, self.settings.safety, utc_now())
        if event is not None:
            self.outbound.event(cooker, event)
        if changed:
            self.contexts.save()

    # ------------------------------------------------------------------ helpers
    def _named(self, device: CookerInfo) -> CookerInfo:
        override = self.settings.devices.get(device.cooker_id)
        if override is not None and override.name:
            return device.model_copy(update={"name": override.name})
        return device

    def _record(self, info: CookerInfo) -> CookerRecord:
        record = self.pipeline.record(info)
        self.contexts.adopt(record)
        return record

    def _retire(self, cooker: CookerRecord) -> None:
        log.info("cooker_left_account", cooker_id=cooker.cooker_id)
        self.mqtt.publish(
            self.outbound.topics.availability(cooker.topic_id), "offline", retain=True
        )
        if self.homeassistant is not None:
            self.homeassistant.remove(cooker.cooker_id)
        self._spawn(cooker.lane.drain(DRAIN_TIMEOUT_S))
        self.contexts.release(cooker)
        self.directory.remove(cooker.cooker_id)

    def discovery_entries(self) -> list[CookerEntry]:
        """The cookers as Home Assistant discovery sees them."""
        return self.directory.discovery_entries()

    def republish_all(self, *, force: bool = True) -> None:
        """Every cooker's availability and state (after reconnects and on a timer)."""
        for cooker in self.cookers.values():
            self.outbound.cooker(cooker, force=force)

    async def _republish_job(self) -> None:
        for cooker in self.cookers.values():
            self.budget.check(cooker)
        self.republish_all()

    async def _health_job(self) -> None:
        self.outbound.bridge_health(self.reports.health())
