"""HTTP routes: Firebase-style login endpoints and the simulator's control surface.

The login routes answer like Google's Identity Toolkit and Secure Token
services (same paths, field names, string-typed ``expiresIn``, error bodies),
so a client pointed at the simulator by ``anova.auth_url`` runs its real
code path. The ``/_sim/…`` routes let the demo and subprocess tests drive a
simulator in another process the way in-process tests call its methods;
``/_sim/oven_…/<oven_id>`` do for ovens what ``/_sim/<action>/<cooker_id>``
do for cookers, and answer the oven's summary.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import asdict
from typing import Any, Protocol

from bridge.simulator.auth import LoginRefused, Session, TokenBook
from bridge.simulator.commands import ReceivedCommand
from bridge.simulator.cooker import SimCooker
from bridge.simulator.faults import SimFaults
from bridge.simulator.http_server import BadRequestError, HttpRequest, HttpResponse
from bridge.simulator.oven import SimOven

API_KEY_MESSAGE = "API key not valid. Please pass a valid API key."
PROJECT_ID = "anova-app"


class SimulatorControl(Protocol):
    """What the routes drive: the simulator's control surface, and nothing else.

    A protocol rather than the simulator class itself, so the server builds
    its routes without the routes importing the server back.
    """

    @property
    def tokens(self) -> TokenBook: ...
    @property
    def faults(self) -> SimFaults: ...
    @property
    def received_commands(self) -> Sequence[ReceivedCommand]: ...

    def cooker(self, cooker_id: str) -> SimCooker: ...
    def oven(self, oven_id: str) -> SimOven: ...
    def snapshot(self) -> dict[str, Any]: ...
    def unplug(self, cooker_id: str) -> None: ...
    def plug(self, cooker_id: str) -> None: ...
    def set_low_water(self, cooker_id: str, on: bool) -> None: ...
    def set_alarm(self, cooker_id: str, name: str, on: bool) -> None: ...
    def expire_tokens(self) -> None: ...
    def set_oven_traps(self, changes: Mapping[str, Any]) -> dict[str, bool]: ...
    def set_oven_door(self, oven_id: str, open_: bool) -> None: ...
    def set_oven_water_tank(self, oven_id: str, state: str) -> None: ...
    def set_oven_probe(self, oven_id: str, inserted: bool, core_c: float = ...) -> None: ...
    def press_oven_panel(self, oven_id: str) -> bool: ...
    def power_cycle_oven(self, oven_id: str) -> None: ...
    async def advance(self, seconds: float) -> None: ...


class Routes:
    """Dispatches requests for one simulator's control surface."""

    def __init__(self, sim: SimulatorControl) -> None:
        self._sim = sim
        self._exact: dict[tuple[str, str], Callable[[HttpRequest], Awaitable[HttpResponse]]] = {
            ("POST", "/v1/accounts:signInWithPassword"): self._sign_in,
            ("POST", "/v1/token"): self._refresh,
            ("GET", "/_sim/state"): self._state,
            ("GET", "/_sim/commands"): self._commands,
            ("POST", "/_sim/advance"): self._advance,
            ("GET", "/_sim/faults"): self._faults,
            ("POST", "/_sim/faults"): self._faults,
            ("POST", "/_sim/expire_tokens"): self._expire_tokens,
            ("GET", "/_sim/oven_traps"): self._oven_traps,
            ("POST", "/_sim/oven_traps"): self._oven_traps,
        }
        self._per_cooker: dict[str, Callable[[str, HttpRequest], None]] = {
            "unplug": lambda cooker_id, _req: sim.unplug(cooker_id),
            "plug": lambda cooker_id, _req: sim.plug(cooker_id),
            "low_water": lambda cooker_id, req: sim.set_low_water(cooker_id, _flag(req)),
            "alarm": lambda cooker_id, req: _alarm(sim, cooker_id, req),
        }
        self._per_oven: dict[str, Callable[[str, HttpRequest], object]] = {
            "oven_door": lambda oven_id, req: sim.set_oven_door(oven_id, _flag(req, "open")),
            "oven_tank": lambda oven_id, req: _tank(sim, oven_id, req),
            "oven_probe": lambda oven_id, req: _probe(sim, oven_id, req),
            "oven_panel": lambda oven_id, _req: sim.press_oven_panel(oven_id),
            "oven_power_cycle": lambda oven_id, _req: sim.power_cycle_oven(oven_id),
        }

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        """Answer one request."""
        route = self._exact.get((request.method, request.path))
        if route is not None:
            return await route(request)
        parts = request.path.strip("/").split("/")
        if request.method == "POST" and len(parts) == 3 and parts[0] == "_sim":
            action = self._per_cooker.get(parts[1])
            if action is not None:
                return self._on_cooker(action, parts[2], request)
            oven_action = self._per_oven.get(parts[1])
            if oven_action is not None:
                return self._on_oven(oven_action, parts[2], request)
        return HttpResponse(404, {"error": {"code": 404, "message": "not found"}})

    # -- Firebase-style login -------------------------------------------------

    async def _sign_in(self, request: HttpRequest) -> HttpResponse:
        if not request.query.get("key"):
            return _api_key_error()
        body = request.json()
        if not isinstance(body, dict):
            raise BadRequestError("body must be a JSON object")
        try:
            session = self._sim.tokens.sign_in(body.get("email"), body.get("password"))
        except LoginRefused as err:
            return _google_error(err.message, with_errors=True)
        return HttpResponse(200, _sign_in_body(session))

    async def _refresh(self, request: HttpRequest) -> HttpResponse:
        if not request.query.get("key"):
            return _api_key_error()
        form = request.form_or_json()
        grant = form.get("grant_type")
        if grant != "refresh_token":
            return _google_error("MISSING_GRANT_TYPE" if not grant else "INVALID_GRANT_TYPE")
        try:
            session = self._sim.tokens.refresh(form.get("refresh_token"))
        except LoginRefused as err:
            return _google_error(err.message)
        return HttpResponse(200, _refresh_body(session))

    # -- control surface ------------------------------------------------------

    async def _state(self, _request: HttpRequest) -> HttpResponse:
        return HttpResponse(200, self._sim.snapshot())

    async def _commands(self, _request: HttpRequest) -> HttpResponse:
        rows = [{**asdict(cmd), "at": cmd.at.isoformat()} for cmd in self._sim.received_commands]
        return HttpResponse(200, {"commands": rows})

    async def _advance(self, request: HttpRequest) -> HttpResponse:
        try:
            seconds = float(request.query.get("seconds", ""))
        except ValueError as err:
            raise BadRequestError("seconds must be a number") from err
        if not 0 <= seconds <= 7 * 24 * 3600:
            raise BadRequestError("seconds must be between 0 and one week")
        await self._sim.advance(seconds)
        return HttpResponse(200, self._sim.snapshot())

    async def _faults(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            patch = request.json()
            if not isinstance(patch, dict):
                raise BadRequestError("faults patch must be a JSON object")
            try:
                self._sim.faults.patch(patch)
            except ValueError as err:
                raise BadRequestError(str(err)) from err
        return HttpResponse(200, self._sim.faults.as_dict())

    async def _expire_tokens(self, _request: HttpRequest) -> HttpResponse:
        self._sim.expire_tokens()
        return HttpResponse(200, {"expired": True})

    def _on_cooker(
        self, action: Callable[[str, HttpRequest], None], cooker_id: str, request: HttpRequest
    ) -> HttpResponse:
        try:
            action(cooker_id, request)
        except KeyError:
            return HttpResponse(404, {"error": {"code": 404, "message": "unknown cooker"}})
        return HttpResponse(200, self._sim.cooker(cooker_id).summary())

    async def _oven_traps(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST":
            patch = request.json()
            if not isinstance(patch, dict):
                raise BadRequestError("oven traps patch must be a JSON object")
            try:
                self._sim.set_oven_traps(patch)
            except ValueError as err:
                raise BadRequestError(str(err)) from err
        return HttpResponse(200, self._sim.snapshot()["oven_traps"])

    def _on_oven(
        self, action: Callable[[str, HttpRequest], object], oven_id: str, request: HttpRequest
    ) -> HttpResponse:
        try:
            result = action(oven_id, request)
        except KeyError:
            return HttpResponse(404, {"error": {"code": 404, "message": "unknown oven"}})
        summary = self._sim.oven(oven_id).summary()
        if isinstance(result, bool):
            summary["accepted"] = result  # the panel says whether anything waited for it
        return HttpResponse(200, summary)


def _tank(sim: SimulatorControl, oven_id: str, request: HttpRequest) -> None:
    try:
        sim.set_oven_water_tank(oven_id, request.query.get("state", ""))
    except ValueError as err:
        raise BadRequestError(str(err)) from err


def _probe(sim: SimulatorControl, oven_id: str, request: HttpRequest) -> None:
    inserted = _flag(request, "inserted")
    if "core_c" not in request.query:
        sim.set_oven_probe(oven_id, inserted)
        return
    try:
        core_c = float(request.query["core_c"])
    except ValueError as err:
        raise BadRequestError("core_c must be a number") from err
    sim.set_oven_probe(oven_id, inserted, core_c)


def _alarm(sim: SimulatorControl, cooker_id: str, request: HttpRequest) -> None:
    try:
        sim.set_alarm(cooker_id, request.query.get("name", ""), _flag(request))
    except ValueError as err:
        raise BadRequestError(str(err)) from err


def _flag(request: HttpRequest, name: str = "on") -> bool:
    return request.query.get(name, "1").lower() not in ("0", "false", "no", "off")


def _sign_in_body(session: Session) -> dict[str, Any]:
    return {
        "kind": "identitytoolkit#VerifyPasswordResponse",
        "localId": session.local_id,
        "email": session.email,
        "displayName": "",
        "idToken": session.id_token,
        "registered": True,
        "refreshToken": session.refresh_token,
        "expiresIn": str(session.expires_in),
    }


def _refresh_body(session: Session) -> dict[str, Any]:
    return {
        "access_token": session.id_token,
        "expires_in": str(session.expires_in),
        "token_type": "Bearer",
        "refresh_token": session.refresh_token,
        "id_token": session.id_token,
        "user_id": session.local_id,
        "project_id": PROJECT_ID,
    }


def _google_error(message: str, *, with_errors: bool = False) -> HttpResponse:
    error: dict[str, Any] = {"code": 400, "message": message}
    if with_errors:
        error["errors"] = [{"message": message, "domain": "global", "reason": "invalid"}]
    else:
        error["status"] = "INVALID_ARGUMENT"
    return HttpResponse(400, {"error": error})


def _api_key_error() -> HttpResponse:
    reason = {"message": API_KEY_MESSAGE, "domain": "global", "reason": "badRequest"}
    error = {"code": 400, "message": API_KEY_MESSAGE, "errors": [reason]}
    return HttpResponse(400, {"error": {**error, "status": "INVALID_ARGUMENT"}})
