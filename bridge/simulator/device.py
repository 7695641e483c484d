"""What the fake cloud needs of any simulated device, whatever its kind."""

from __future__ import annotations

from typing import Any, Protocol


class SimDevice(Protocol):
    """A paired device: a cooker or an oven.

    The server steps every device's time, pushes its state when its
    :meth:`signature` changes, and lists it in ``/_sim/state``; the rest
    belongs to its kind.
    """

    @property
    def cooker_id(self) -> str:
        """The cloud's id for the device."""
        ...

    @property
    def plugged(self) -> bool:
        """True while the device talks to the cloud."""
        ...

    @property
    def cooking(self) -> bool:
        """True while it cooks."""
        ...

    def step_to(self, when: float) -> None:
        """Run its physics forward to simulated time ``when``."""
        ...

    def signature(self) -> tuple[Any, ...]:
        """What, if changed, is worth an immediate push."""
        ...

    def summary(self) -> dict[str, Any]:
        """A flat description for the control surface."""
        ...
