"""Parse and validate incoming MQTT commands into typed commands.

The service calls exactly these entry points:

* :func:`parse_set_payload` for ``<base>/<id>/set`` (JSON, CONTRACT §2);
* :func:`parse_shortcut` for ``<base>/<id>/set/<field>`` (plain values);
* :func:`peek_request_id` / :func:`peek_action` to echo what it can in an
  error answer when parsing failed;
* :func:`parse_bridge_request` for ``<base>/bridge/request/<action>``;
* :class:`CommandResponse` / :class:`BridgeResponse` to answer.

Parsing checks shape and types only. Device limits and food safety depend on
the cooker model and ``safety.policy`` and live in :mod:`bridge.safety`.
"""

from __future__ import annotations

from bridge.commands.bridge_request import BridgeRequest, parse_bridge_request, peek_transaction
from bridge.commands.duration import parse_duration
from bridge.commands.envelope import MAX_PAYLOAD_BYTES
from bridge.commands.json_command import parse_set_payload, peek_action, peek_request_id
from bridge.commands.models import (
    Command,
    SetFoodCommand,
    SetTemperatureCommand,
    SetTimerCommand,
    SetUnitCommand,
    StartCommand,
    StopCommand,
)
from bridge.commands.response import BridgeResponse, CommandResponse, ErrorBody
from bridge.commands.shortcuts import parse_shortcut, shortcut_action
from bridge.commands.units import from_celsius, to_celsius
from bridge.contract import ACTIONS, BRIDGE_ACTIONS, Action, BridgeAction

__all__ = [
    "ACTIONS",
    "BRIDGE_ACTIONS",
    "MAX_PAYLOAD_BYTES",
    "Action",
    "BridgeAction",
    "BridgeRequest",
    "BridgeResponse",
    "Command",
    "CommandResponse",
    "ErrorBody",
    "SetFoodCommand",
    "SetTemperatureCommand",
    "SetTimerCommand",
    "SetUnitCommand",
    "StartCommand",
    "StopCommand",
    "from_celsius",
    "parse_bridge_request",
    "parse_duration",
    "parse_set_payload",
    "parse_shortcut",
    "peek_action",
    "peek_request_id",
    "peek_transaction",
    "shortcut_action",
    "to_celsius",
]
