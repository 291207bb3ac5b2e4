"""Memory and time of photo processing (collab.media.process_image), issue #10 hole 6.

    .venv/bin/python bench/media_memory.py

Each case runs in a fresh Python process: it builds its image, then processes it (four uploads at
once in the "×4" cases, through the server's decoding slots, collab.media.DECODES), and reports the decode's CPU time,
the peak resident memory above what the process held before, and what it still holds afterwards.
Not a test: numbers depend on the machine; tests/test_media_bounds.py checks the bounds themselves.
"""

from __future__ import annotations

import contextlib
import io
import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

CASES = {
    "png 7700x7700 (bomb-like, ~200 KB)": ("PNG", (7700, 7700), {}),
    "png 4096x4096 (largest whole decode)": ("PNG", (4096, 4096), {}),
    "png 4000x3000": ("PNG", (4000, 3000), {}),
    "jpeg 8160x6120 (50 MP phone)": ("JPEG", (8160, 6120), {}),
    "jpeg 8160x6120 progressive": ("JPEG", (8160, 6120), {"progressive": True}),
    "webp 4000x3000": ("WEBP", (4000, 3000), {}),
    "webp 4096x4096 (largest whole decode)": ("WEBP", (4096, 4096), {}),
}


def rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20


def make(fmt: str, size: tuple[int, int], options: dict[str, object]) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, (40, 120, 200))
    draw = ImageDraw.Draw(image)
    for x in range(0, size[0], 97):  # some detail, so that the file is not trivially small
        draw.line([(x, 0), (size[0] - x, size[1])], fill=(x % 255, 80, 160), width=3)
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def run_case(name: str, copies: int) -> dict[str, object]:
    from collab import media
    from collab.media import process_image
    from collab.sync.errors import OpError

    fmt, size, options = CASES[name]
    data = make(fmt, size, options)
    import gc

    gc.collect()
    before = rss_mb()
    peak = [before]
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb())
            time.sleep(0.005)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    outcomes: list[str] = []

    def one() -> None:
        try:
            with getattr(media, "DECODES", contextlib.nullcontext()):  # as collab.api.media does
                processed = process_image(data)
            outcomes.append(f"{processed.width}x{processed.height}")
        except OpError as err:
            outcomes.append(f"refused: {err.code}")

    start_cpu, start = time.process_time(), time.monotonic()
    threads = [threading.Thread(target=one) for _ in range(copies)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cpu, wall = time.process_time() - start_cpu, time.monotonic() - start
    done.set()
    watcher.join()
    return {"case": name, "copies": copies, "file_kb": len(data) // 1024, "outcomes": sorted(set(outcomes)),
            "cpu_s": round(cpu, 2), "wall_s": round(wall, 2), "peak_mb": round(peak[0] - before),
            "kept_mb": round(rss_mb() - before)}


def main() -> None:
    if len(sys.argv) == 3:
        print(json.dumps(run_case(sys.argv[1], int(sys.argv[2]))))
        return
    for name in CASES:
        for copies in (1, 4):
            out = subprocess.run([sys.executable, __file__, name, str(copies)], capture_output=True, text=True,
                                 check=True).stdout
            row = json.loads(out)
            print(f"{row['case']:<38} ×{row['copies']}  {row['file_kb']:>6} KB  cpu {row['cpu_s']:>5} s  "
                  f"wall {row['wall_s']:>5} s  peak +{row['peak_mb']:>4} MB  kept +{row['kept_mb']:>4} MB  "
                  f"{', '.join(row['outcomes'])}")


if __name__ == "__main__":
    main()
