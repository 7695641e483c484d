"""The ovens' traps (anova-oven-api.md §6), each switchable per simulator.

Defaults reproduce what real ovens are reported to do, so the bridge is
tested against the worst case; a test turns one off to check that the
bridge's own safeguard, not the oven, is what protects the user.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from typing import Any


@dataclass
class OvenTraps:
    """Switches for the ovens' misbehaviour; read on every command.

    Attributes:
        brick_v2_on_v1_plan: a v1 plan sent to a v2 oven is acknowledged and
            leaves the oven dead (it pushes nothing more and ignores commands)
            until :meth:`~bridge.simulator.CloudSimulator.power_cycle_oven`
            (§6.1). Off: such a plan is answered with an error.
        refuse_unpaired_preheat: a v1 multi-stage plan whose preheat stage is
            not named ``<next stage id>-preheat`` is acknowledged and dropped.
        refuse_preheat_before_wet: a v1 multi-stage plan with a preheat stage
            before a wet stage is acknowledged and dropped.
        refuse_wet_fan_below_100: a v1 multi-stage plan with a wet stage whose
            fan is under 100 is acknowledged and dropped.
        ignore_unknown_oven: an APO command naming no paired oven gets no
            RESPONSE at all (§2). Off: it is answered with an error.
        drop_every_v1_plan: every v1 plan is acknowledged and dropped, a
            stand-in for the silent refusals no source explains (§6.2);
            off by default, for tests of what a user is told then.
    """

    brick_v2_on_v1_plan: bool = True
    refuse_unpaired_preheat: bool = True
    refuse_preheat_before_wet: bool = True
    refuse_wet_fan_below_100: bool = True
    ignore_unknown_oven: bool = True
    drop_every_v1_plan: bool = False

    def refuses(self, rule: str) -> bool:
        """Whether the silent-refusal rule named ``rule`` is switched on."""
        return bool(getattr(self, f"refuse_{rule}"))

    def patch(self, changes: Mapping[str, Any]) -> None:
        """Apply a partial update (the control surface's JSON), checking names and types.

        Raises:
            ValueError: an unknown trap or a value that is not a boolean;
                nothing is changed then.
        """
        known = {f.name for f in fields(self)}
        unknown = sorted(set(changes) - known)
        if unknown:
            raise ValueError(f"unknown oven trap(s): {', '.join(unknown)}")
        wrong = sorted(name for name, value in changes.items() if not isinstance(value, bool))
        if wrong:
            raise ValueError(f"{', '.join(wrong)} must be true or false")
        for name, value in changes.items():
            setattr(self, name, value)

    def as_dict(self) -> dict[str, bool]:
        """The current switches as plain JSON-able values."""
        return asdict(self)
