"""Benchmark: the photo pipeline on a 12 MP phone JPEG against a naive Pillow pipeline, same run.

    .venv/bin/python bench/photos.py      # prints a Markdown section
    BENCH_PHOTOS_REPEAT=3 .venv/bin/python bench/photos.py

From bench/run.py: ``run()`` returns the Markdown section. The input is generated with Pillow:
4000 × 3000, a gradient with shapes and sensor-like noise (so it compresses like a photo, not
like a flat test card), JPEG quality 90, EXIF orientation 6 (a phone held upright) and GPS.

Each variant runs in a child process of its own (``bench/photos.py --child VARIANT FILE``), so
its peak resident memory is its own: the child imports everything, reads the file, resets its peak RSS
to the current RSS (``/proc/self/clear_refs``: Django's imports peak higher than a variant), runs
the variant REPEAT times and reports the times and how far the peak (VmHWM) rose.

- **pipeline**: ``registry.photos.renditions.process``, everything ``add_photo`` does to the
  pixels (checks, draft-mode decode, resize, sRGB, orientation, encode, hashes); storage and the
  database row are left out, as the naive peer has none.
- **naive**: full decode, ``ImageOps.exif_transpose``, two ``resize`` (Lanczos) to the same
  sizes from the full image, save both: what a first version usually does.
- **naive, thumbnail()**: the same with ``Image.thumbnail`` (Pillow's reducing gap, no draft
  because the image is already decoded): a stronger peer, for scale.
- **verify**: ``validate_upload``'s check (header, pixel limit, decode at 1/8 scale): what a
  form pays before the upload reaches ``add_photo``.
"""

import ctypes
import gc
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPEAT = int(os.environ.get("BENCH_PHOTOS_REPEAT", "9"))
SIZE = (4000, 3000)
TARGET_SPEEDUP = 2.0
VARIANTS = ["pipeline", "naive", "naive-thumbnail", "verify"]
LABELS = {"pipeline": "pipeline (`renditions.process`)", "naive": "naive: full decode, `exif_transpose`, 2 × `resize`",
          "naive-thumbnail": "naive with `thumbnail()`", "verify": "`validate_upload` check only"}


def run() -> str:
    """Generate the photo, measure each variant in its own process; return Markdown."""
    sys.path.insert(0, str(ROOT))
    with tempfile.TemporaryDirectory() as scratch:
        path = Path(scratch) / "phone.jpg"
        path.write_bytes(phone_photo())
        results = {variant: measure(variant, path) for variant in VARIANTS}
        return report(results, path.stat().st_size)


def phone_photo() -> bytes:
    import random

    from PIL import ExifTags, Image, ImageDraw

    rng = random.Random(20240501)
    mask = Image.linear_gradient("L").resize(SIZE)
    image = Image.composite(Image.new("RGB", SIZE, (60, 110, 50)), Image.new("RGB", SIZE, (150, 200, 240)), mask)
    draw = ImageDraw.Draw(image)
    for _ in range(300):
        x, y, side = rng.randrange(SIZE[0]), rng.randrange(SIZE[1]), rng.randrange(20, 300)
        draw.ellipse((x, y, x + side, y + side), fill=tuple(rng.randrange(256) for _ in range(3)))
    image = Image.blend(image, Image.effect_noise(SIZE, 24).convert("RGB"), 0.25)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (23.0, 7.0, 30.5)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (113.0, 14.0, 2.25)
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2024:05:01 09:30:00"
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=90, exif=exif)
    return buffer.getvalue()


def measure(variant: str, path: Path) -> dict:
    print(f"photos: {variant} …", file=sys.stderr, flush=True)
    result = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--child", variant, str(path)],
                            cwd=ROOT, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(result.stdout)


# --- the variants, run in the child ----------------------------------------------------------------

def naive(data: bytes, thumbnail: bool = False) -> list[tuple[int, int, int]]:
    from PIL import Image, ImageOps

    image = Image.open(io.BytesIO(data))
    image.load()
    image = ImageOps.exif_transpose(image)
    outputs = []
    for side, quality in ((1600, 85), (320, 80)):
        if thumbnail:
            copy = image.copy()
            copy.thumbnail((side, side))
        else:
            scale = side / max(image.size)
            copy = image.resize((round(image.width * scale), round(image.height * scale)), Image.Resampling.LANCZOS)
        buffer = io.BytesIO()
        copy.save(buffer, "JPEG", quality=quality)
        outputs.append((copy.width, copy.height, buffer.tell()))
    return outputs


def variant_function(variant: str):
    from registry.photos import renditions

    def pipeline(data):
        processed = renditions.process(data)
        both = (processed.large, processed.small)
        assert all(rendition.name for rendition in both)  # the content-hashed names add_photo stores under
        return [(rendition.width, rendition.height, len(rendition.data)) for rendition in both]

    return {"pipeline": pipeline, "naive": naive, "naive-thumbnail": lambda data: naive(data, thumbnail=True),
            "verify": lambda data: renditions.verify(data) or []}[variant]


def memory_kib(field: str) -> int:
    """``VmRSS`` (resident now) or ``VmHWM`` (peak) of this process, in KiB.

    Not ``ru_maxrss``: it also keeps the peak of threads that have exited (some import starts
    one), which ``clear_refs`` does not reset.
    """
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith(f"{field}:"))


def reset_peak_rss() -> None:
    """Bring the peak RSS (VmHWM) down to what is in use now (Linux ≥ 4.0, glibc).

    ``malloc_trim`` first hands memory freed by the imports back to the system; left resident, a
    variant could reuse it without its peak rising, and would look lighter than it is.
    """
    ctypes.CDLL("libc.so.6").malloc_trim(0)
    with open("/proc/self/clear_refs", "w") as clear_refs:
        clear_refs.write("5")


def child(variant: str, path: str) -> None:
    """Time ``variant`` REPEAT times; print JSON with the times and the rise of the peak RSS."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    function = variant_function(variant)
    data = Path(path).read_bytes()
    gc.collect()
    reset_peak_rss()  # imports peaked higher than any variant needs: measure from here
    baseline_kib = memory_kib("VmRSS")
    times, outputs = [], []
    for _ in range(REPEAT):
        started = time.perf_counter()
        outputs = function(data)
        times.append(time.perf_counter() - started)
    peak_kib = memory_kib("VmHWM")
    print(json.dumps({"times": times, "baseline_kib": baseline_kib, "peak_kib": peak_kib, "outputs": outputs}))


# --- the report ------------------------------------------------------------------------------------

def report(results: dict, input_bytes: int) -> str:
    def median_ms(variant):
        return statistics.median(results[variant]["times"]) * 1000

    def rise_mib(variant):
        return (results[variant]["peak_kib"] - results[variant]["baseline_kib"]) / 1024

    lines = [
        "## Photo pipeline",
        "",
        f"One {SIZE[0]} × {SIZE[1]} JPEG ({SIZE[0] * SIZE[1] / 1e6:.0f} MP, quality 90, "
        f"{input_bytes / 1024 / 1024:.1f} MiB, EXIF orientation 6 and GPS) made into a ≤ 1600 px and a ≤ 320 px "
        f"JPEG; median and best of {REPEAT} runs, each variant in a fresh process. Peak memory is how far "
        "the peak RSS (VmHWM) rose above the resident size of the process with everything imported and the file read.",
        "",
        "| variant | median | best | peak memory rise | outputs (w × h, size) |",
        "|---|---:|---:|---:|---|",
    ]
    for variant in VARIANTS:
        outputs = ", ".join(f"{w} × {h}, {size / 1024:.0f} KiB" for w, h, size in results[variant]["outputs"]) or "—"
        best_ms = min(results[variant]["times"]) * 1000
        lines.append(f"| {LABELS[variant]} | {median_ms(variant):.0f} ms | {best_ms:.0f} ms "
                     f"| {rise_mib(variant):.0f} MiB | {outputs} |")
    speedup = median_ms("naive") / median_ms("pipeline")
    memory = rise_mib("naive") / max(rise_mib("pipeline"), 0.1)
    met = speedup >= TARGET_SPEEDUP and rise_mib("pipeline") < rise_mib("naive")
    lines += [
        "",
        f"Pipeline vs naive: **{speedup:.1f}× faster**, peak memory rise **{memory:.1f}× lower** "
        f"({rise_mib('pipeline'):.0f} vs {rise_mib('naive'):.0f} MiB); against `thumbnail()` "
        f"{median_ms('naive-thumbnail') / median_ms('pipeline'):.1f}× faster.",
        "",
        f"Target: at least {TARGET_SPEEDUP:.0f}× faster than the naive pipeline with lower peak memory — "
        f"**{'met' if met else 'not met'}**.",
        "",
        "Where the time goes: libjpeg decodes at 1/2 scale in draft mode (2000 × 1500: a quarter of the pixels), "
        "so the image is never held at 12 MP; the remaining resize to 1600 px is under 2× (bicubic), the "
        "orientation is applied to the 1600 px image rather than the 12 MP one, and the 320 px rendition is "
        "made from the 1600 px one. The pipeline also does work the naive one skips: a content check, Huffman-"
        "optimised encoding (smaller files for phones), SHA-256 of the input and of both outputs.",
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        print(run())
