"""From uploaded bytes to the two JPEG renditions the site serves, with nothing else kept.

Pure image work (no database, no storage), so the pipeline, the demo loader and the benchmark
share it. The order of the steps is what makes it fast and safe:

1. the bytes are identified by their content (magic numbers, then Pillow restricted to JPEG,
   PNG and WebP), never by the file name or the browser's content type;
2. width × height is read from the header and refused above ``MAX_PIXELS`` *before* any pixel
   is decoded (a 100 kB PNG can claim 30000 × 30000 pixels: a decompression bomb);
3. JPEGs are decoded with ``draft()``: libjpeg scales by 1/2, 1/4 or 1/8 while decoding, so a
   12 MP photo is never held at full size when 1600 px is all we keep;
4. resize, then colour-convert to sRGB and apply the EXIF orientation on the small image;
5. renditions are written fresh with an empty ``info``: no EXIF (GPS!), XMP, ICC, comment.
"""

import datetime
import hashlib
import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageCms, UnidentifiedImageError

MAX_BYTES = 20 * 1024 * 1024
MAX_PIXELS = 50_000_000
LARGE_SIDE = 1600
SMALL_SIDE = 320
LARGE_QUALITY = 85
SMALL_QUALITY = 80
ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP")
#: Resizing is most of the work. After draft mode a JPEG is less than 2× the large size, where
#: bicubic is as sharp as Lanczos at half the cost; ``reducing_gap`` first box-reduces by whole
#: factors (PNG, WebP, and large → small), as ``Image.thumbnail`` does by default.
LARGE_FILTER, SMALL_FILTER, REDUCING_GAP = Image.Resampling.BICUBIC, Image.Resampling.LANCZOS, 2.0

#: Leading bytes of the accepted formats; anything else is refused before Pillow looks at it.
_MAGIC = ((b"\xff\xd8\xff", "JPEG"), (b"\x89PNG\r\n\x1a\n", "PNG"))
#: HEIF/HEIC/AVIF brands (ISO base media "ftyp" box): recognised so the refusal can say why.
_HEIF_BRANDS = {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif"}
#: EXIF orientation → the transpose that shows the picture the right way up.
_ORIENTATION = {
    2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180, 4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE, 6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
#: Camera clocks are often wrong; a "taken" date outside these bounds is ignored, not trusted.
_EARLIEST_TAKEN = datetime.datetime(1990, 1, 1, tzinfo=datetime.UTC)

NOT_AN_IMAGE = _("This file is not a photo in JPEG, PNG or WebP format.")
HEIF_REFUSED = _("HEIC/HEIF photos are not accepted yet. Please send the photo as JPEG "
                 "(on an iPhone: Settings → Camera → Formats → Most Compatible).")
DAMAGED = _("This photo is damaged or incomplete and cannot be read. Please send it again.")
EMPTY = _("The file is empty.")
TOO_LARGE = _("This file is %(size)s MB; a photo can be at most %(limit)s MB.")
TOO_MANY_PIXELS = _("This image has %(megapixels)s megapixels; a photo can have at most %(limit)s megapixels.")
TOO_MANY_PIXELS_UNKNOWN = _("This image has too many pixels; a photo can have at most %(limit)s megapixels.")


@dataclass(frozen=True)
class Rendition:
    """One encoded JPEG; its storage name is derived from its bytes, so equal bytes share a name."""

    data: bytes
    width: int
    height: int
    label: str  # "1600" or "320": the long-side target, in the file name for people reading a listing

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def name(self) -> str:
        digest = self.sha256
        return f"photos/{digest[:2]}/{digest[2:4]}/{digest}-{self.label}.jpg"


@dataclass(frozen=True)
class Processed:
    large: Rendition
    small: Rendition
    taken_at: datetime.datetime | None
    #: sha256 of the bytes as uploaded, to recognise the same file sent twice.
    source_sha256: str


def check_byte_size(size: int | None) -> None:
    """Refuse an empty file or one over MAX_BYTES, from its size alone (nothing read yet)."""
    if size == 0:
        raise ValidationError(EMPTY, code="empty")
    if size is not None and size > MAX_BYTES:
        raise ValidationError(TOO_LARGE, code="file_too_large",
                              params={"size": f"{size / 1024 / 1024:.1f}", "limit": MAX_BYTES // 1024 // 1024})


def sniff_format(data: bytes) -> str:
    """The format the leading bytes announce (JPEG, PNG, WEBP), or ValidationError."""
    for magic, name in _MAGIC:
        if data.startswith(magic):
            return name
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    if data[4:8] == b"ftyp" and data[8:12] in _HEIF_BRANDS:
        raise ValidationError(HEIF_REFUSED, code="heif")
    raise ValidationError(NOT_AN_IMAGE, code="not_an_image")


def open_checked(data: bytes) -> Image.Image:
    """Open ``data`` lazily (header only) and refuse it if it is not an accepted image or too big.

    Pillow's own bomb guard (``Image.MAX_IMAGE_PIXELS``, ~89 MP warning, ~179 MP error) is
    looser than ours and process-wide, so it is left alone and our limit is checked here.
    """
    check_byte_size(len(data))
    expected = sniff_format(data)
    try:
        image = Image.open(io.BytesIO(data), formats=[expected])
    except Image.DecompressionBombError:
        raise ValidationError(TOO_MANY_PIXELS_UNKNOWN, code="too_many_pixels",
                              params={"limit": MAX_PIXELS // 1_000_000}) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise ValidationError(DAMAGED, code="damaged") from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        image.close()
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels",
                              params={"megapixels": f"{width * height / 1_000_000:.1f}",
                                      "limit": MAX_PIXELS // 1_000_000})
    return image


def _load(image: Image.Image) -> None:
    """Decode, turning Pillow's many failure types for a truncated or corrupt file into one message."""
    try:
        image.load()
    except (OSError, ValueError, SyntaxError, EOFError, Image.DecompressionBombError):
        raise ValidationError(DAMAGED, code="damaged") from None


def verify(data: bytes) -> None:
    """Refuse what ``process`` would refuse, at the lowest cost, for forms to call early.

    A truncated file is only found by decoding it to its end. JPEGs decode at 1/8 scale (draft
    mode still reads every byte); PNG and WebP have no such mode and decode in full, which
    ``process`` does too, so the two agree on every file.
    """
    with open_checked(data) as image:
        if image.format == "JPEG":
            image.draft("RGB", (1, 1))
        _load(image)


def fit(size: tuple[int, int], side: int) -> tuple[int, int]:
    """``size`` scaled so its long side is at most ``side``; never enlarged."""
    width, height = size
    scale = min(1.0, side / max(width, height))
    return max(1, round(width * scale)), max(1, round(height * scale))


def _flatten(image: Image.Image) -> Image.Image:
    """RGB, L or CMYK pixels: transparency onto white, palettes and 1-bit to colour, 16-bit to 8-bit."""
    if image.mode in ("RGB", "L", "CMYK"):
        return image
    if image.mode.startswith("I"):
        return image.convert("I").point(lambda value: value * (1 / 256)).convert("L")
    if image.mode in ("RGBA", "LA", "PA", "La", "RGBa") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, "white")
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image.convert("RGB")


def _to_srgb(image: Image.Image, icc_profile: bytes | None) -> Image.Image:
    """Pixels in sRGB, so a rendition without a profile looks the same (Display P3, Adobe RGB, CMYK)."""
    if icc_profile and image.mode in ("RGB", "CMYK"):
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            if "sRGB" not in (ImageCms.getProfileDescription(source) or ""):
                return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):
            pass  # an unreadable profile: keep the pixels as they are
    return image.convert("RGB") if image.mode == "CMYK" else image


def taken_at(exif: Image.Exif) -> datetime.datetime | None:
    """When the photo was taken (EXIF DateTimeOriginal, with its offset if given), if plausible."""
    details = exif.get_ifd(ExifTags.IFD.Exif)
    text = details.get(ExifTags.Base.DateTimeOriginal) or exif.get(ExifTags.Base.DateTime)
    offset = details.get(ExifTags.Base.OffsetTimeOriginal)
    try:
        moment = datetime.datetime.strptime(str(text).strip("\x00 "), "%Y:%m:%d %H:%M:%S")
        if offset:
            moment = datetime.datetime.fromisoformat(f"{moment.isoformat()}{str(offset).strip()}")
        else:
            moment = timezone.make_aware(moment)
    except (TypeError, ValueError, OverflowError):
        return None
    if not _EARLIEST_TAKEN <= moment <= timezone.now() + datetime.timedelta(days=1):
        return None
    return moment


def _encode(image: Image.Image, quality: int, label: str) -> Rendition:
    """A fresh baseline JPEG with nothing but pixels: ``info`` (EXIF, ICC, XMP, comment) is dropped."""
    image.info = {}
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, optimize=True)
    return Rendition(buffer.getvalue(), image.width, image.height, label)


def _metadata(image: Image.Image) -> tuple[int, datetime.datetime | None]:
    try:
        exif = image.getexif()
    except (OSError, ValueError, SyntaxError):  # a broken EXIF block is no reason to refuse the photo
        return 1, None
    return exif.get(ExifTags.Base.Orientation, 1), taken_at(exif)


def process(data: bytes) -> Processed:
    """The large and small renditions of an uploaded image, or ValidationError saying why not."""
    with open_checked(data) as image:
        target = fit(image.size, LARGE_SIDE)
        if image.format == "JPEG":
            image.draft("RGB" if image.mode == "RGB" else None, target)
        _load(image)
        orientation, when = _metadata(image)  # after load: a PNG may keep its EXIF after the pixels
        pixels = _flatten(image)
        if pixels.size != target:
            pixels = pixels.resize(target, LARGE_FILTER, reducing_gap=REDUCING_GAP)
        pixels = _to_srgb(pixels, image.info.get("icc_profile"))
        if orientation in _ORIENTATION:
            pixels = pixels.transpose(_ORIENTATION[orientation])
        small = pixels.resize(fit(pixels.size, SMALL_SIDE), SMALL_FILTER, reducing_gap=REDUCING_GAP)
        return Processed(large=_encode(pixels, LARGE_QUALITY, str(LARGE_SIDE)),
                         small=_encode(small, SMALL_QUALITY, str(SMALL_SIDE)),
                         taken_at=when, source_sha256=hashlib.sha256(data).hexdigest())
