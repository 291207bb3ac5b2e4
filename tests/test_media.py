"""Photos: `POST /api/v1/media` and the media URLs (docs/protocol.md, "POST /api/v1/media")."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from .test_api import API, Workshop, assert_error, bearer, join, make_workshop, new_op


@pytest.fixture
def ws(app: Any) -> Workshop:
    return make_workshop(app)


@pytest.fixture
def token(client: Any, ws: Workshop) -> str:
    return join(client, ws)["token"]


def media_files(app: Any) -> list[Path]:
    return [p for p in Path(app.config["MEDIA_DIR"]).rglob("*") if p.is_file()]


def jpeg_with_gps(width: int = 1200, height: int = 800) -> bytes:
    image = Image.new("RGB", (width, height), (30, 120, 200))
    exif = Image.Exif()
    exif[0x0112] = 6  # orientation: the phone was held upright
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0), 3: "E", 4: (2.0, 21.0, 7.0)}  # GPS IFD
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def upload(client: Any, token: str, data: bytes, name: str = "photo.jpg", **form: str) -> Any:
    return client.post(
        f"{API}/media",
        data={"file": (io.BytesIO(data), name), **form},
        headers=bearer(token),
        content_type="multipart/form-data",
    )


def test_a_photo_comes_back_upright_without_any_metadata(app: Any, client: Any, token: str) -> None:
    response = upload(client, token, jpeg_with_gps())
    assert response.status_code == 201, response.json
    body = response.json
    assert set(body) == {"id", "url", "thumb_url", "width", "height"}
    assert (body["width"], body["height"]) == (800, 1200)  # turned by its EXIF orientation

    full = client.get(body["url"], headers=bearer(token))
    assert full.status_code == 200 and full.mimetype == "image/jpeg"
    image = Image.open(io.BytesIO(full.data))
    assert image.size == (800, 1200)
    assert not image.getexif(), "EXIF (GPS included) must be stripped"
    assert not {"exif", "xmp", "icc_profile"} & set(image.info)

    thumb = Image.open(io.BytesIO(client.get(body["thumb_url"], headers=bearer(token)).data))
    assert max(thumb.size) == 400 and not thumb.getexif()


def test_large_photos_are_capped(client: Any, token: str) -> None:
    out = io.BytesIO()
    Image.new("RGB", (4000, 3000), (10, 10, 10)).save(out, "PNG")
    body = upload(client, token, out.getvalue(), "scan.png").json
    assert (body["width"], body["height"]) == (2048, 1536)


@pytest.mark.parametrize(
    "case",
    ["text file named .jpg", "truncated jpeg", "png bomb", "empty file"],
)
def test_what_is_not_a_photo_is_refused_and_nothing_is_stored(app: Any, client: Any, token: str, case: str) -> None:
    if case == "text file named .jpg":
        data = b"Ceci n'est pas une photo.\n" * 10
    elif case == "truncated jpeg":
        data = jpeg_with_gps()[:2000]
    elif case == "png bomb":
        out = io.BytesIO()
        Image.new("1", (30_000, 30_000)).save(out, "PNG")  # ~110 kB that would decode to 900 Mpx
        data = out.getvalue()
    else:
        data = b""
    error = assert_error(upload(client, token, data), 400, "invalid")
    assert "photo" in error["message"] or "image" in error["message"]
    assert media_files(app) == []


def test_an_oversize_upload_is_refused_with_413(app: Any, client: Any, token: str) -> None:
    app.config["MAX_UPLOAD_BYTES"] = 100_000
    error = assert_error(upload(client, token, jpeg_with_gps(3000, 3000) + b"\0" * 200_000), 413, "too_large")
    assert "MB" in error["message"] or "Mo" in error["message"]
    assert media_files(app) == []


def test_a_retried_upload_with_the_same_id_is_stored_once(app: Any, client: Any, token: str) -> None:
    media_id = str(uuid.uuid4())
    first = upload(client, token, jpeg_with_gps(), id=media_id)
    again = upload(client, token, jpeg_with_gps(), id=media_id)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json == again.json and first.json["id"] == media_id
    assert len(media_files(app)) == 2  # the photo and its thumbnail, once


def test_only_members_of_the_workshop_see_its_photos(app: Any, client: Any, ws: Workshop, token: str) -> None:
    body = upload(client, token, jpeg_with_gps()).json
    other = make_workshop(app)
    stranger = join(app.test_client(), other)["token"]
    assert_error(client.get(body["url"], headers=bearer(stranger)), 404, "not_found")
    assert_error(app.test_client().get(body["thumb_url"]), 401, "unauthorized")
    colleague = join(app.test_client(), ws, name="Dominique", group=1)["token"]
    assert client.get(body["thumb_url"], headers=bearer(colleague)).status_code == 200


def test_a_card_carries_its_photo_visit_and_actor(app: Any, client: Any, ws: Workshop, token: str) -> None:
    media_id = upload(client, token, jpeg_with_gps()).json["id"]
    visit = client.post(
        f"{API}/visits",
        json={"title": "Le Creusot — métallurgie", "place": "Le Creusot",
              "starts_at": "2017-11-16T08:00:00+01:00", "ends_at": "2017-11-16T12:00:00+01:00"},
        headers=bearer(ws.facilitator_token),
    ).json
    data = {"text": "Le laminoir", "kind": "observation", "visit_id": visit["id"], "actor": "Directeur",
            "media_id": media_id}
    response = client.post(f"{API}/boards/{ws.boards[0]}/ops", json=new_op(data=data), headers=bearer(token))
    card = response.json["event"]["data"]["card"]
    assert (card["visit_id"], card["actor"], card["media_id"]) == (visit["id"], "Directeur", media_id)

    other = make_workshop(app)
    foreign = upload(app.test_client(), join(app.test_client(), other)["token"], jpeg_with_gps()).json["id"]
    refused = client.post(f"{API}/boards/{ws.boards[0]}/ops", json=new_op(data={"text": "x", "media_id": foreign}),
                          headers=bearer(token))
    assert refused.status_code == 400 and refused.json["error"]["code"] == "invalid"
    assert refused.json["error"]["field"] == "media_id"
