"""Workshop live controls (collab.live; docs/protocol.md "Live controls"): timer, announcement, hiding
the groups' boards from each other — the rules alone, over REST, and live to every connection."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import requests
from sqlalchemy.orm import Session, sessionmaker

from collab import live
from collab.sync.catchup import snapshot
from collab.sync.errors import OpError

from .support.peers import Room
from .support.server import LiveServer, wait_for
from .test_sync_pipeline import World, _build

T0 = datetime(2017, 11, 17, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(sessions: sessionmaker[Session]) -> World:
    return _build(sessions)


def control(world: World, raw: dict[str, Any], at: datetime = T0, actor: Any = None) -> dict[str, Any]:
    return live.apply_control(world.sessions, actor or world.facilitator, raw, now=lambda: at)


def test_a_timer_counts_down_pauses_resumes_and_takes_extra_time(world: World) -> None:
    started = control(world, {"type": "timer.start", "seconds": 600, "label": "Travail en groupe"})
    timer = started["state"]["timer"]
    assert (started["seq"], timer["running"], timer["label"]) == (1, True, "Travail en groupe")
    assert datetime.fromisoformat(timer["ends_at"]) == T0 + timedelta(seconds=600)
    paused = control(world, {"type": "timer.pause"}, T0 + timedelta(seconds=100))["state"]["timer"]
    assert (paused["running"], paused["remaining"], paused["ends_at"]) == (False, 500, None)
    more = control(world, {"type": "timer.add", "seconds": 120}, T0 + timedelta(seconds=900))["state"]["timer"]
    assert (more["remaining"], more["duration"], more["running"]) == (620, 720, False)  # paused: time stood still
    resumed = control(world, {"type": "timer.resume"}, T0 + timedelta(seconds=1000))["state"]["timer"]
    assert datetime.fromisoformat(resumed["ends_at"]) == T0 + timedelta(seconds=1620)
    stopped = control(world, {"type": "timer.stop"})
    assert stopped["state"]["timer"] is None and stopped["seq"] == 5


def test_announcements_and_refusals(world: World) -> None:
    said = control(world, {"type": "announce", "text": "  Le bus part dans 10 minutes "})
    assert said["state"]["announcement"]["text"] == "Le bus part dans 10 minutes"
    assert control(world, {"type": "announce.clear"})["state"]["announcement"] is None
    with pytest.raises(OpError) as err:
        control(world, {"type": "announce", "text": "moi aussi"}, actor=world.alice)
    assert err.value.code == "forbidden"
    with pytest.raises(OpError) as err:
        control(world, {"type": "timer.pause"})
    assert err.value.code == "invalid"  # no timer
    with pytest.raises(OpError) as err:
        control(world, {"type": "timer.start", "seconds": 0})
    assert err.value.code == "invalid" and err.value.details["field"] == "seconds"


def test_presenting_tells_every_screen_which_slide_to_show(world: World) -> None:
    with world.sessions() as db:
        group_id = snapshot(db, world.alice, world.board)["board"]["group_id"]
    shown = control(world, {"type": "present", "group_id": group_id, "slide": 3})["state"]["presentation"]
    assert (shown["group_id"], shown["slide"]) == (group_id, 3)
    assert control(world, {"type": "present", "group_id": None})["state"]["presentation"] is None


def test_hidden_groups_cannot_read_each_others_boards(world: World) -> None:
    control(world, {"type": "groups.hide", "hidden": True})
    with world.sessions() as db:
        assert snapshot(db, world.alice, world.board)["board"]["id"] == world.board  # their own group
        assert snapshot(db, world.facilitator, world.other_board)  # facilitators see everything
        with pytest.raises(OpError) as err:
            snapshot(db, world.alice, world.other_board)
        assert err.value.code == "forbidden" and err.value.details == {"hidden": True}
    control(world, {"type": "groups.hide", "hidden": False})
    with world.sessions() as db:
        assert snapshot(db, world.alice, world.other_board)["board"]["id"] == world.other_board


@pytest.mark.live
def test_controls_reach_every_connection_of_the_workshop_live(live_server: LiveServer) -> None:
    room = Room(live_server)
    try:
        phone = room.peer("Ana", 0)
        other_group = room.peer("Bruno", 1)
        facilitator = room.facilitator()
        wait_for(lambda: phone.live() is not None, message="the current state on connect")
        assert phone.live()["state"] == {"timer": None, "announcement": None, "groups_hidden": False, "prompt": None,
                                         "presentation": None}
        ack = facilitator.call("live", {"type": "timer.start", "seconds": 300})
        assert ack["ok"] is True and ack["live"]["seq"] == 1
        for peer in (phone, other_group, facilitator):
            wait_for(lambda p=peer: (p.live() or {}).get("seq") == 1, message="the timer everywhere")
        assert phone.live()["state"]["timer"]["running"] is True and phone.live()["server_time"]
        refused = phone.call("live", {"type": "announce", "text": "hop"})
        assert refused["ok"] is False and refused["error"]["code"] == "forbidden"
        # REST does the same, and a late joiner gets the state on connect.
        response = requests.post(live_server.url + "/api/v1/live", json={"type": "announce", "text": "Bus à 17 h"},
                                 headers={"Authorization": f"Bearer {room.facilitator_token}"}, timeout=10)
        assert response.status_code == 200 and response.json()["live"]["seq"] == 2
        late = room.peer("Chloé", 0)
        wait_for(lambda: (late.live() or {}).get("seq") == 2, message="the state for a late joiner")
        assert late.live()["state"]["announcement"]["text"] == "Bus à 17 h"
        assert room.rest(room.facilitator_token, "/live").json()["seq"] == 2
    finally:
        room.close()
