"""Photo uploads cost bounded memory and CPU (issue #10, hole 6; docs/protocol.md, "POST /api/v1/media"):
few decoded pixels, a few decodes at a time, a rate limit per participant, memory given back."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import threading
import uuid
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from collab import media as media_module
from collab.api import media as media_api

from .test_api import Workshop, assert_error, bearer, join, make_workshop
from .test_media import jpeg_with_gps, media_files, upload

BENCH = Path(__file__).resolve().parent.parent / "bench" / "media_memory.py"


@pytest.fixture
def ws(app: Any) -> Workshop:
    return make_workshop(app)


@pytest.fixture
def token(client: Any, ws: Workshop) -> str:
    return join(client, ws)["token"]


def png(size: tuple[int, int], mode: str = "L") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size).save(out, "PNG")
    return out.getvalue()


def jpeg(size: tuple[int, int], **options: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (90, 140, 60)).save(out, "JPEG", **options)
    return out.getvalue()


def test_a_png_of_59_megapixels_is_refused_before_it_is_decoded(app: Any, client: Any, token: str) -> None:
    """Issue #10 hole 6: one small PNG of 7,700 × 7,700 px cost ~450 MB and seconds of CPU to decode.
    Formats that can only be decoded whole may not exceed 4096 × 4096 px."""
    data = png((7700, 7700))
    assert len(data) < 300_000
    error = assert_error(upload(client, token, data, "plan.png"), 400, "invalid")
    assert "pixels" in error["message"]
    assert media_files(app) == []
    assert upload(client, token, png((4096, 4096)), "scan.png").json["width"] == 2048


def test_a_50_megapixel_jpeg_is_decoded_scaled_down() -> None:
    """Issue #10 hole 6: a phone's 50 MP JPEG is decoded at 1/2 to 1/8 of its size (libjpeg's DCT
    scaling), never whole, and still gives a 2,048 px photo."""
    decoded = media_module._open(jpeg((8160, 6120)))
    assert max(decoded.size) < 2 * media_module.MAX_SIDE and min(decoded.size) >= 1536
    processed = media_module.process_image(jpeg((8160, 6120)))
    assert (processed.width, processed.height) == (2048, 1536)
    panorama = media_module._open(jpeg((16000, 1000)))  # scaled to fit, not to its short side
    assert panorama.size == (4000, 250)


def test_a_large_photo_still_comes_back_upright_without_metadata_and_a_truncated_one_is_refused(
        client: Any, token: str) -> None:
    """Issue #10 hole 6: decoding scaled down keeps collab.media's guarantees: EXIF orientation applied
    then stripped (GPS gone), truncated files refused."""
    big = jpeg_with_gps(6000, 4000)
    body = upload(client, token, big).json
    assert (body["width"], body["height"]) == (1365, 2048)
    image = Image.open(io.BytesIO(client.get(body["url"], headers=bearer(token)).data))
    assert image.size == (1365, 2048) and not image.getexif()
    assert not {"exif", "xmp", "icc_profile"} & set(image.info)
    assert_error(upload(client, token, big[: len(big) // 2]), 400, "invalid")


def test_at_most_a_few_photos_are_decoded_at_once(app: Any, ws: Workshop, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue #10 hole 6: up to 20 decodes ran at once (the thread pool's size); now DECODE_SLOTS."""
    slots = getattr(media_module, "DECODE_SLOTS", 2)
    assert slots <= 2
    real = media_api.process_image
    lock, entered, go = threading.Lock(), threading.Semaphore(0), threading.Event()
    running = {"now": 0, "most": 0}

    def slow(data: bytes) -> Any:
        with lock:
            running["now"] += 1
            running["most"] = max(running["most"], running["now"])
        entered.release()
        go.wait(30)
        with lock:
            running["now"] -= 1
        return real(data)

    monkeypatch.setattr(media_api, "process_image", slow)
    tokens = [join(app.test_client(), ws, f"P{i}", 0)["token"] for i in range(slots + 2)]
    answers: list[int] = []

    def send(who: str) -> None:
        answers.append(upload(app.test_client(), who, jpeg((64, 48))).status_code)

    threads = [threading.Thread(target=send, args=(t,)) for t in tokens]
    for thread in threads:
        thread.start()
    for _ in range(slots):
        assert entered.acquire(timeout=30)
    assert not entered.acquire(timeout=0.5), "more decodes started than there are slots"
    go.set()
    for thread in threads:
        thread.join(60)
    assert answers == [201] * len(tokens) and running["most"] == slots


def test_uploads_are_rate_limited_per_participant(app: Any, client: Any, ws: Workshop, token: str) -> None:
    """Issue #10 hole 6: uploads had no rate limit (120 accepted in 0.65 s); now UPLOAD_RATE_LIMIT
    (20 a minute by default) per participant, a retried upload (same id) not counted."""
    assert app.config["UPLOAD_RATE_LIMIT"].startswith("20/minute")
    small = jpeg((32, 24))
    first_id = str(uuid.uuid4())
    assert upload(client, token, small, id=first_id).status_code == 201
    for _ in range(19):
        assert upload(client, token, small).status_code == 201
    refused = upload(client, token, small)
    assert_error(refused, 429, "rate_limited")
    assert int(refused.headers["Retry-After"]) > 0
    assert upload(client, token, small, id=first_id).status_code == 200  # a retry still gets its answer
    other = join(app.test_client(), ws, "Dominique", 1)["token"]
    assert upload(client, other, small).status_code == 201


def bench(case: str, copies: int) -> dict[str, Any]:
    done = subprocess.run([sys.executable, str(BENCH), case, str(copies)], capture_output=True, text=True,
                          timeout=240, check=True)
    return json.loads(done.stdout)


def test_memory_stays_bounded_and_is_given_back() -> None:
    """Issue #10 hole 6: four large uploads at once took the process to 2 GB and it stayed at 1.3 GB.
    Four 50 MP JPEGs now peak at a few hundred MB and leave almost nothing behind (bench/media_memory.py,
    measured in a fresh process: resident memory, not time)."""
    row = bench("jpeg 8160x6120 (50 MP phone)", 4)
    assert row["outcomes"] == ["2048x1536"]
    assert row["peak_mb"] < 300 and row["kept_mb"] < 40, row
    bomb = bench("png 7700x7700 (bomb-like, ~200 KB)", 4)
    assert bomb["outcomes"] == ["refused: invalid"] and bomb["peak_mb"] < 50, bomb


def test_the_real_server_decodes_photos_a_few_at_a_time_and_stays_responsive(make_server: Any) -> None:
    """Issue #10 hole 6, on the real eventlet server: the decoding slots are taken by green threads
    before the thread pool decodes; several large uploads at once all succeed while the server keeps
    answering."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    server = make_server()
    made = server.create_workshop("Photos", 1)
    big = jpeg((8160, 6120))
    tokens = [server.join(made["join_code"], f"P{i}")["token"] for i in range(4)]

    def send(who: str) -> int:
        return requests.post(f"{server.url}/api/v1/media", files={"file": ("p.jpg", big, "image/jpeg")},
                             headers={"Authorization": f"Bearer {who}"}, timeout=120).status_code

    with ThreadPoolExecutor(len(tokens)) as pool:
        answers = [pool.submit(send, who) for who in tokens]
        assert requests.get(f"{server.url}/healthz", timeout=5).status_code == 200
        assert [answer.result() for answer in answers] == [201] * len(tokens), server.log()[-2000:]
