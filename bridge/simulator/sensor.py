"""The temperature probe: the true water temperature plus deterministic noise.

Real readings jitter by a few hundredths of a degree. The noise here is a
function of (seed, cooker, simulated second) only, never of how often it is
read, so a run is repeatable: the same seed gives the same readings whatever
the push cadence or the test's timing.
"""

from __future__ import annotations

import math
import random

CLIP_SIGMAS = 3.0
# A probe noise like real readings (the demo's and `simulate`'s default).
REALISTIC_NOISE_C = 0.05


class SensorNoise:
    """Gaussian noise of ``sigma_c`` °C, clipped at three sigmas; 0 means a perfect probe.

    Args:
        sigma_c: standard deviation in °C.
        seed: varies the noise; with the cooker id it picks the sequence.
    """

    def __init__(self, sigma_c: float, seed: str) -> None:
        if sigma_c < 0:
            raise ValueError("sensor noise must not be negative")
        self.sigma_c = sigma_c
        self._seed = seed

    def at(self, moment: float) -> float:
        """The probe's error at simulated epoch second ``moment``."""
        if self.sigma_c == 0:
            return 0.0
        # Not cryptography: a reproducible draw per simulated second.
        draw = random.Random(f"{self._seed}:{math.floor(moment)}").gauss(0.0, self.sigma_c)  # noqa: S311
        limit = CLIP_SIGMAS * self.sigma_c
        return max(-limit, min(limit, draw))
