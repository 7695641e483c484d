"""What a safety check found, and what the policy makes of it."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from bridge.errors import CommandError, ErrorCode


class SafetyPolicy(StrEnum):
    """``safety.policy``: what to do when a cook breaks a food-safety rule."""

    STRICT = "strict"  # refuse with the rule's code
    WARN = "warn"  # run it, but say why it is unsafe in ``warnings``
    OFF = "off"  # device limits only


class SafetyFinding(BaseModel):
    """One rule's verdict on a cook.

    Attributes:
        rule: the rule's number in docs/food-safety.md (0 for general notes).
        code: the error code when the rule refuses the cook; None for a warning.
        message: a full sentence naming the rule, the numbers and the source.
        field: the command field at fault, for refusals.
    """

    model_config = ConfigDict(frozen=True)

    rule: int
    code: ErrorCode | None = None
    message: str
    field: str | None = None

    @property
    def is_refusal(self) -> bool:
        """True when the rule would refuse the cook under ``strict``."""
        return self.code is not None

    def as_warning(self) -> str:
        """The text for ``warnings``; a refusal let through says so and gives its code."""
        if self.code is None:
            return self.message
        return f"{self.code.value} (allowed because safety.policy is warn): {self.message}"

    def as_error(self) -> CommandError:
        """The refusal as the error answered to the user."""
        assert self.code is not None, "only refusals become errors"
        return CommandError(self.code, self.message, field=self.field)


class SafetyReport(BaseModel):
    """The outcome of a check that let the command through."""

    model_config = ConfigDict(frozen=True)

    policy: SafetyPolicy
    findings: tuple[SafetyFinding, ...] = ()

    @property
    def warnings(self) -> list[str]:
        """What goes in the response's ``warnings``, in rule order."""
        return [finding.as_warning() for finding in self.findings]


def apply_policy(policy: SafetyPolicy, findings: list[SafetyFinding]) -> SafetyReport:
    """Turn the rules' findings into a report, or raise the first refusal under strict.

    Raises:
        CommandError: under ``strict``, for the first refusal in rule order.
    """
    if policy is SafetyPolicy.OFF:
        return SafetyReport(policy=policy)
    unique = list(dict.fromkeys(findings))
    if policy is SafetyPolicy.STRICT:
        refusal = next((finding for finding in unique if finding.is_refusal), None)
        if refusal is not None:
            raise refusal.as_error()
    return SafetyReport(policy=policy, findings=tuple(unique))
