"""Test and demo hooks for the simulated ovens: door, tank, probe, panel, power, traps.

A mixin of :class:`~bridge.simulator.server.CloudSimulator`. Every hook
first runs the ovens up to the clock, changes the oven, and pushes its
state at once (to connections that asked for ``APO``), as a real oven
reports a door opened or a probe plugged in.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bridge.logs import get_logger
from bridge.simulator.cavity import FRIDGE_C, TANK_LOW_SHARE
from bridge.simulator.oven import SimOven
from bridge.simulator.oven_pusher import OvenPusher
from bridge.simulator.oven_traps import OvenTraps
from bridge.simulator.precision_oven import OvenFleet

TANK_STATES = ("full", "low", "empty", "removed")

log = get_logger("simulator.oven")


class OvenControls:
    """The ovens' part of the simulator's control surface."""

    _ovens: OvenFleet
    _oven_pusher: OvenPusher

    def _sync(self) -> None:
        raise NotImplementedError

    @property
    def ovens(self) -> list[SimOven]:
        """Every paired oven, in device-list order."""
        return list(self._ovens.values())

    @property
    def oven_traps(self) -> OvenTraps:
        """The ovens' traps (shared by every oven of this simulator); mutable."""
        return self._ovens.traps

    def oven(self, oven_id: str) -> SimOven:
        """The oven with this id.

        Raises:
            KeyError: no such oven.
        """
        return self._ovens[oven_id]

    def set_oven_traps(self, changes: Mapping[str, Any]) -> dict[str, bool]:
        """Switch traps on or off by name; returns them all.

        Raises:
            ValueError: an unknown trap or a non-boolean value (nothing changes).
        """
        self.oven_traps.patch(changes)
        return self.oven_traps.as_dict()

    def set_oven_door(self, oven_id: str, open_: bool) -> None:
        """Open or close the door; an open door loses heat and steam fast."""
        self._change(oven_id, lambda oven: setattr(oven.cavity, "door_open", open_))

    def set_oven_water_tank(self, oven_id: str, state: str) -> None:
        """Set the water tank ``full``, ``low``, ``empty`` or ``removed``.

        Raises:
            KeyError: no such oven.
            ValueError: another state.
        """
        if state not in TANK_STATES:
            raise ValueError(f"water tank state must be one of {', '.join(TANK_STATES)}")
        shares = {"full": 1.0, "low": TANK_LOW_SHARE / 2, "empty": 0.0}

        def apply(oven: SimOven) -> None:
            if state == "removed":
                oven.cavity.tank_removed = True
            else:
                oven.cavity.fill_tank(shares[state])

        self._change(oven_id, apply)

    def set_oven_probe(self, oven_id: str, inserted: bool, core_c: float = FRIDGE_C) -> None:
        """Plug the probe into food at ``core_c`` or pull it out."""

        def apply(oven: SimOven) -> None:
            if inserted:
                oven.cavity.insert_probe(core_c)
            else:
                oven.cavity.probe_inserted = False

        self._change(oven_id, apply)

    def press_oven_panel(self, oven_id: str) -> bool:
        """Press start on the oven's panel; False when nothing waited for it."""
        oven = self.oven(oven_id)
        self._sync()
        pressed = oven.press_panel()
        log.info("oven_panel_pressed", cooker_id=oven_id, accepted=pressed)
        self._oven_pusher.push_due(self._ovens.values())
        return pressed

    def power_cycle_oven(self, oven_id: str) -> None:
        """Unplug and replug an oven: clears the v1-plan error, ends any cook, pushes."""
        self._change(oven_id, SimOven.power_cycle)

    def _change(self, oven_id: str, apply: Any) -> None:
        oven = self.oven(oven_id)
        self._sync()
        apply(oven)
        # Conditions may now hold (a probe in, a door shut): let the stages catch up.
        oven.recheck()
        log.info("oven_changed", **oven.summary())
        self._oven_pusher.push(oven)
