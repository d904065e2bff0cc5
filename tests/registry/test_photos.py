"""The photo pipeline with real images made by Pillow: what is kept, what is refused, what is left behind."""

import datetime
import hashlib
import io
import re
import struct
import zlib
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import ExifTags, Image, ImageCms

from registry import audit
from registry.audit import AuditEntry
from registry.photos import Photo, renditions, storage
from registry.photos.forms import PhotoField, PhotosField
from registry.photos.pipeline import add_photo, validate_upload
from tests.factories import GreenPlotFactory, UserFactory
from upkeep.models import UpkeepAction, UpkeepLog

RED, BLUE = (220, 20, 20), (20, 40, 200)
NAME = re.compile(r"^photos/([0-9a-f]{2})/([0-9a-f]{2})/([0-9a-f]{64})-(1600|320)\.jpg$")


# --- images ----------------------------------------------------------------------------------------

def quadrant_picture(size) -> Image.Image:
    """Blue, with the top-left quadrant red: after any rotation, where the red is says which way is up."""
    width, height = size
    image = Image.new("RGB", size, BLUE)
    image.paste(RED, (0, 0, width // 2, height // 2))
    return image


def camera_exif(orientation=None, taken="2024:05:01 09:30:00", offset=None) -> Image.Exif:
    """What a phone writes: make and model, when, where (GPS) and how the phone was held."""
    exif = Image.Exif()
    exif[ExifTags.Base.Make], exif[ExifTags.Base.Model] = "Phone maker", "Phone 12"
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (23.0, 7.0, 30.5)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (113.0, 14.0, 2.25)
    details = exif.get_ifd(ExifTags.IFD.Exif)
    if taken:
        details[ExifTags.Base.DateTimeOriginal] = taken
    if offset:
        details[ExifTags.Base.OffsetTimeOriginal] = offset
    return exif


def jpeg(size=(800, 600), exif=None, image=None, quality=90) -> bytes:
    """A JPEG with EXIF, an ICC profile, XMP and a comment, as a phone or an editor would leave it."""
    image = image or quadrant_picture(size)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality, exif=exif or Image.Exif(), comment=b"home of the photographer",
               icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
               xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>')
    return buffer.getvalue()


def encoded(image: Image.Image, format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format, **params)
    return buffer.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def forged_png(width, height) -> bytes:
    """A 100-byte PNG whose header claims ``width`` × ``height``: only the header may be read."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + png_chunk(b"IEND", b""))


def s15_fixed16(value: float) -> bytes:
    return struct.pack(">i", round(value * 65536))


def swapped_primaries_profile() -> bytes:
    """An ICC v2 RGB profile with sRGB's red and green primaries swapped: its (255, 0, 0) is sRGB green.

    Stands in for Display P3 or Adobe RGB (no profile files on this machine), with a result
    that cannot be missed if the conversion does not happen.
    """
    def xyz(x, y, z):
        return b"XYZ " + b"\0" * 4 + s15_fixed16(x) + s15_fixed16(y) + s15_fixed16(z)

    curve = b"curv" + b"\0" * 4 + struct.pack(">IH", 1, 0x0233) + b"\0\0"  # gamma 2.2
    text = b"Swapped primaries\0"
    description = b"desc" + b"\0" * 4 + struct.pack(">I", len(text)) + text + b"\0" * 78
    tags = [(b"desc", description), (b"wtpt", xyz(0.9642, 1.0, 0.8249)), (b"rXYZ", xyz(0.3851, 0.7169, 0.0971)),
            (b"gXYZ", xyz(0.4361, 0.2225, 0.0139)), (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset, table, data = 128 + 4 + 12 * len(tags), b"", b""
    for signature, body in tags:
        body += b"\0" * (-len(body) % 4)
        table += signature + struct.pack(">II", offset + len(data), len(body))
        data += body
    header = (struct.pack(">I", offset + len(data)) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
              + b"\0" * 12 + b"acsp" + b"\0" * 28 + s15_fixed16(0.9642) + s15_fixed16(1.0) + s15_fixed16(0.8249)
              + b"\0" * 48)
    return header + struct.pack(">I", len(tags)) + table + data


def upload(data: bytes, name="photo.jpg", content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


def jpeg_markers(data: bytes) -> list[int]:
    """The markers of a JPEG's header segments, up to the start of the scan."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while data[at + 1] != 0xDA:  # SOS: compressed data follows
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2:at + 4])[0]
        markers.append(marker)
        at += 2 + length
    return markers


def stored(name: str) -> bytes:
    with storage.photo_storage().open(name) as file:
        return file.read()


def files_under(root: Path) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def red_at(image: Image.Image, x_share: float, y_share: float) -> bool:
    red, green, blue = image.convert("RGB").getpixel((int(image.width * x_share), int(image.height * y_share)))
    return red > 150 and blue < 100


# --- fixtures --------------------------------------------------------------------------------------

@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def plot(district):
    return GreenPlotFactory(name_zh="荔枝湾认领绿地", name_en="Lizhiwan green plot")


# --- what is kept ----------------------------------------------------------------------------------

def test_photo_with_gps_is_served_with_no_metadata_and_the_right_way_up(client, plot, media_root):
    """Orientation 6: the camera stored the picture lying on its side; the viewer must see it upright."""
    data = jpeg((800, 600), exif=camera_exif(orientation=6))
    assert b"Exif" in data and b"ICC_PROFILE" in data and b"home of the photographer" in data
    photo = add_photo(asset=plot, upload=upload(data), uploaded_by=None, caption="浇水后")

    text = client.get(reverse("asset-detail", args=[plot.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    served = re.findall(r'(?:href|src)="/media/(photos/[^"]+)"', text)
    assert served == [photo.large.name, photo.small.name]
    for name, size in zip(served, [(600, 800), (240, 320)]):
        body = stored(name)
        assert set(jpeg_markers(body)) <= {0xE0, 0xDB, 0xC0, 0xC4, 0xDD}  # JFIF, tables, frame: no APP1-15, no COM
        for trace in (b"Exif", b"ICC_PROFILE", b"xmpmeta", b"home of the photographer", b"Phone"):
            assert trace not in body
        with Image.open(io.BytesIO(body)) as image:
            assert not image.getexif() and "icc_profile" not in image.info and "xmp" not in image.info
            assert image.size == size  # portrait now, never enlarged
            assert red_at(image, 0.75, 0.25) and not red_at(image, 0.25, 0.25) and not red_at(image, 0.75, 0.75)


@pytest.mark.parametrize("orientation, red_quadrant", [(1, (0.25, 0.25)), (3, (0.75, 0.75)), (6, (0.75, 0.25)),
                                                         (8, (0.25, 0.75)), (2, (0.75, 0.25))])
def test_every_orientation_is_applied(orientation, red_quadrant):
    processed = renditions.process(jpeg((400, 300), exif=camera_exif(orientation=orientation)))
    with Image.open(io.BytesIO(processed.small.data)) as image:
        assert red_at(image, *red_quadrant)
        assert image.size == ((240, 320) if orientation in (6, 8) else (320, 240))


@pytest.mark.parametrize("size, large, small", [
    ((4000, 3000), (1600, 1200), (320, 240)),   # a 12 MP phone photo
    ((3000, 4000), (1200, 1600), (240, 320)),
    ((1000, 500), (1000, 500), (320, 160)),     # smaller than 1600: kept as it is
    ((120, 90), (120, 90), (120, 90)),          # smaller than both: never enlarged
])
def test_rendition_sizes_on_the_long_side(plot, size, large, small):
    photo = add_photo(asset=plot, upload=upload(jpeg(size, exif=camera_exif())), uploaded_by=None)
    assert (photo.width, photo.height) == large and (photo.small_width, photo.small_height) == small
    for name, expected in ((photo.large.name, large), (photo.small.name, small)):
        with Image.open(io.BytesIO(stored(name))) as image:
            assert image.format == "JPEG" and image.size == expected


@pytest.mark.parametrize("image, format, params", [
    (Image.new("RGBA", (300, 200), (255, 0, 0, 0)), "PNG", {}),       # transparent: onto white
    (Image.new("P", (300, 200), 3), "PNG", {}),                        # a palette
    (Image.new("I;16", (300, 200), 40000), "PNG", {}),                 # 16-bit grey
    (Image.new("1", (300, 200), 1), "PNG", {}),
    (quadrant_picture((300, 200)), "WEBP", {"quality": 80, "exif": camera_exif(orientation=3)}),
    (Image.new("CMYK", (300, 200), (0, 255, 255, 0)), "JPEG", {}),    # print-ready red
    (Image.new("L", (300, 200), 128), "JPEG", {}),
])
def test_accepted_formats_and_modes_become_plain_jpegs(image, format, params):
    processed = renditions.process(encoded(image, format, **params))
    with Image.open(io.BytesIO(processed.large.data)) as large:
        assert large.format == "JPEG" and large.mode in ("RGB", "L") and large.size == (300, 200)
        assert not large.getexif() and set(large.info) <= {"jfif", "jfif_version", "jfif_unit", "jfif_density",
                                                            "dpi", "progressive", "progression"}
        if image.mode == "RGBA":
            assert large.convert("RGB").getpixel((10, 10)) == (255, 255, 255)
        if image.mode == "CMYK":
            red, green, blue = large.getpixel((10, 10))
            assert red > 200 and green < 60 and blue < 60
        if image.mode == "I;16":
            assert 140 < large.getpixel((10, 10)) < 175  # 40000 / 65535 of white, not clipped to white
    if format == "WEBP":
        with Image.open(io.BytesIO(processed.small.data)) as small:
            assert red_at(small, 0.75, 0.75)  # orientation 3 from a WebP's EXIF


def test_colours_are_converted_to_srgb_before_the_profile_is_dropped():
    data = encoded(Image.new("RGB", (300, 200), (255, 0, 0)), "JPEG", quality=95,
                   icc_profile=swapped_primaries_profile())
    processed = renditions.process(data)
    for rendition in (processed.large, processed.small):
        with Image.open(io.BytesIO(rendition.data)) as image:
            red, green, blue = image.getpixel((10, 10))
            assert green > 200 and red < 60 and blue < 60 and "icc_profile" not in image.info


def test_names_are_content_hashes_and_stable_for_the_same_input(plot, media_root):
    data = jpeg((2000, 1500), exif=camera_exif())
    first = add_photo(asset=plot, upload=upload(data), uploaded_by=None)
    again = add_photo(asset=GreenPlotFactory(), upload=upload(data, name="copy.jpg"), uploaded_by=None)
    assert (first.large.name, first.small.name) == (again.large.name, again.small.name)
    for name, label in ((first.large.name, "1600"), (first.small.name, "320")):
        low, high, digest, suffix = NAME.match(name).groups()
        assert (low, high, suffix) == (digest[:2], digest[2:4], label)
        assert hashlib.sha256(stored(name)).hexdigest() == digest
    assert first.content_hash == again.content_hash == hashlib.sha256(data).hexdigest()
    assert len(files_under(media_root)) == 2  # stored once, shared by both rows
    assert renditions.process(data).large.name == first.large.name  # deterministic encoding


def test_taken_at_comes_from_exif_with_its_offset_or_the_local_zone(plot):
    with_offset = add_photo(asset=plot, upload=upload(jpeg(exif=camera_exif(offset="+08:00"))), uploaded_by=None)
    assert with_offset.taken_at == datetime.datetime(2024, 5, 1, 1, 30, tzinfo=datetime.UTC)
    local = renditions.process(jpeg(exif=camera_exif(taken="2024:05:01 09:30:00")))
    assert local.taken_at == datetime.datetime(2024, 5, 1, 1, 30, tzinfo=datetime.UTC)  # Asia/Shanghai
    for unlikely in ("1970:01:01 00:00:00", "2099:01:01 00:00:00", "0000:00:00 00:00:00", "garbage", None):
        assert renditions.process(jpeg(exif=camera_exif(taken=unlikely))).taken_at is None


def test_add_photo_records_who_added_it_and_keeps_the_upload_unread(plot):
    staff = UserFactory(username="li.na")
    file = upload(jpeg())
    photo = add_photo(asset=plot, upload=file, uploaded_by=staff, caption="修剪后", credit="逢源街道办事处")
    assert file.tell() == 0  # a form may read it again
    assert (photo.uploaded_by, photo.caption, photo.credit, photo.is_public) == (staff, "修剪后", "逢源街道办事处", True)
    entry = AuditEntry.objects.get(action="photo.add")
    assert (entry.actor, entry.asset, entry.object_id) == (staff, plot.asset_ptr, photo.pk)
    assert entry.changes["caption"] == [None, "修剪后"] and entry.changes["large"] == [None, photo.large.name]


# --- what is refused -------------------------------------------------------------------------------

def truncated_jpeg() -> bytes:
    data = jpeg((1200, 900), image=Image.effect_noise((1200, 900), 60).convert("RGB"))
    return data[:len(data) // 2]


def oversized_jpeg() -> bytes:
    """A valid JPEG padded past 20 MB (bytes after the end marker are ignored by decoders)."""
    return jpeg() + b"\0" * (21 * 1024 * 1024)


BAD_UPLOADS = {
    "html named .jpg": (lambda: b"<!DOCTYPE html><html><script>alert(1)</script></html>",
                        "This file is not a photo in JPEG, PNG or WebP format."),
    "svg": (lambda: b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>',
            "This file is not a photo in JPEG, PNG or WebP format."),
    "gif": (lambda: encoded(Image.new("RGB", (10, 10)), "GIF"),
            "This file is not a photo in JPEG, PNG or WebP format."),
    "heic": (lambda: b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\0" * 100, "HEIC/HEIF photos are not accepted yet."),
    "zero bytes": (lambda: b"", "The file is empty."),
    "truncated jpeg": (truncated_jpeg, "This photo is damaged or incomplete and cannot be read."),
    "truncated png": (lambda: encoded(Image.effect_noise((600, 400), 50), "PNG")[:30_000],
                      "This photo is damaged or incomplete and cannot be read."),
    "jpeg magic, then junk": (lambda: b"\xff\xd8\xff\xe0" + b"junk" * 100,
                              "This photo is damaged or incomplete and cannot be read."),
    "60-megapixel png": (lambda: encoded(Image.new("1", (8000, 7500)), "PNG"),
                         "This image has 60.0 megapixels; a photo can have at most 50 megapixels."),
    "900-megapixel forged png": (lambda: forged_png(30000, 30000),
                                 "This image has too many pixels; a photo can have at most 50 megapixels."),
    "over 20 MB": (oversized_jpeg, "This file is 21.0 MB; a photo can be at most 20 MB."),
}


@pytest.mark.parametrize("case", BAD_UPLOADS)
def test_bad_uploads_are_refused_with_a_clear_message_and_leave_nothing(plot, media_root, case):
    make, message = BAD_UPLOADS[case]
    data = make()
    with pytest.raises(ValidationError) as early:
        validate_upload(upload(data))
    with pytest.raises(ValidationError) as late:
        add_photo(asset=plot, upload=upload(data), uploaded_by=None)
    assert early.value.messages == late.value.messages
    assert late.value.messages[0].startswith(message)
    assert not Photo.objects.exists() and not AuditEntry.objects.filter(action="photo.add").exists()
    assert files_under(media_root) == []


def test_a_too_large_file_is_refused_by_its_declared_size_before_it_is_read(plot):
    class Unreadable(SimpleUploadedFile):
        def read(self, *args):
            raise AssertionError("read before the size was checked")

    big = Unreadable("big.jpg", b"", content_type="image/jpeg")
    big.size = 25 * 1024 * 1024
    with pytest.raises(ValidationError, match="25.0 MB"):
        add_photo(asset=plot, upload=big, uploaded_by=None)


def test_a_bomb_is_refused_without_decoding(monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels decoded")

    bombs = [encoded(Image.new("1", (8000, 7500)), "PNG"), forged_png(9000, 9000)]
    monkeypatch.setattr(Image.Image, "load", no_decoding)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", no_decoding)
    for data in bombs:
        with pytest.raises(ValidationError, match="megapixels"):
            renditions.process(data)


# --- what is left behind ---------------------------------------------------------------------------

def test_a_failure_after_the_files_are_written_deletes_them(plot, media_root, monkeypatch):
    def broken_audit(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(audit, "record", broken_audit)
    with pytest.raises(RuntimeError):
        add_photo(asset=plot, upload=upload(jpeg()), uploaded_by=None)
    assert not Photo.objects.exists() and files_under(media_root) == []


def test_a_failed_upload_keeps_files_it_did_not_write(plot, media_root, monkeypatch):
    """The same picture stored by an earlier photo stays when a second upload of it fails."""
    data = jpeg()
    kept = add_photo(asset=plot, upload=upload(data), uploaded_by=None)
    monkeypatch.setattr(audit, "record", lambda **kwargs: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        add_photo(asset=plot, upload=upload(data), uploaded_by=None)
    assert files_under(media_root) == sorted([kept.large.name, kept.small.name])


def test_files_of_a_rolled_back_transaction_are_removed_by_the_orphan_sweep(plot, media_root):
    """Django has no rollback hook: the row goes with the transaction, the sweep takes the files."""
    kept = add_photo(asset=plot, upload=upload(jpeg((640, 480))), uploaded_by=None)
    with pytest.raises(RuntimeError), transaction.atomic():
        lost = add_photo(asset=plot, upload=upload(jpeg((800, 600))), uploaded_by=None)
        raise RuntimeError("the upkeep log failed after its photos")
    assert list(Photo.objects.all()) == [kept]
    orphans = [lost.large.name, lost.small.name]
    assert set(files_under(media_root)) == {kept.large.name, kept.small.name, *orphans}

    call_command("cleanup_orphan_photos")  # by default files younger than an hour may still be committing
    assert len(files_under(media_root)) == 4
    out = io.StringIO()
    call_command("cleanup_orphan_photos", "--min-age", "0", "--dry-run", stdout=out)
    assert sorted(out.getvalue().split()[:2]) == sorted(orphans) and len(files_under(media_root)) == 4
    call_command("cleanup_orphan_photos", "--min-age", "0", stdout=io.StringIO())
    assert files_under(media_root) == sorted([kept.large.name, kept.small.name])
    assert stored(kept.large.name)  # the committed photo's files are untouched


def test_deleted_photos_leave_files_for_the_sweep(plot, media_root):
    photo = add_photo(asset=plot, upload=upload(jpeg()), uploaded_by=None)
    photo.delete()
    assert len(files_under(media_root)) == 2
    call_command("cleanup_orphan_photos", "--min-age", "0", stdout=io.StringIO())
    assert files_under(media_root) == []


def test_an_upkeep_log_from_another_asset_is_a_programming_error(plot):
    other = GreenPlotFactory()
    log = UpkeepLog.objects.create(asset=other, action=UpkeepAction.WATERING, performed_at=timezone.now(),
                                   staff=UserFactory())
    with pytest.raises(ValueError):
        add_photo(asset=plot, upload=upload(jpeg()), uploaded_by=None, upkeep_log=log)
    assert not Photo.objects.exists()


# --- forms and the admin ---------------------------------------------------------------------------

def test_photos_field_names_the_bad_file_and_limits_the_count():
    field = PhotosField(required=False, max_count=2)
    good, html = upload(jpeg(), "garden.jpg"), upload(b"<html></html>", "not-a-photo.jpg")
    assert field.clean([good]) == [good] and field.clean([]) == []
    with pytest.raises(ValidationError) as refused:
        field.clean([good, html])
    assert refused.value.messages == ["not-a-photo.jpg: This file is not a photo in JPEG, PNG or WebP format."]
    with pytest.raises(ValidationError, match="at most 2 photos"):
        field.clean([good, good, good])
    with pytest.raises(ValidationError, match="empty"):
        PhotoField().clean(upload(b"", "empty.jpg"))


def test_the_admin_adds_a_photo_through_the_pipeline(admin_client, plot, media_root):
    admin_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the message is compared in English
    url = reverse("admin:registry_photo_add")
    response = admin_client.post(url, {"asset": plot.pk, "caption": "<b>html</b> in a jpeg",
                                       "upload": upload(b"<html></html>", "x.jpg")})
    assert response.status_code == 200 and "This file is not a photo" in response.content.decode()
    assert not Photo.objects.exists() and files_under(media_root) == []

    response = admin_client.post(url, {"asset": plot.pk, "caption": "荷花", "is_public": "on",
                                       "upload": upload(jpeg(exif=camera_exif(orientation=6)))})
    assert response.status_code == 302
    photo = Photo.objects.get()
    assert (photo.caption, photo.width, photo.height) == ("荷花", 600, 800)
    assert photo.taken_at is not None and photo.uploaded_by.is_superuser
    assert set(files_under(media_root)) == {photo.large.name, photo.small.name}
    listing = admin_client.get(reverse("admin:registry_photo_changelist")).content.decode()
    assert photo.small.url in listing
    assert admin_client.get(reverse("admin:registry_photo_change", args=[photo.pk])).status_code == 200
    asset_page = admin_client.get(reverse("admin:gardens_greenplot_change", args=[plot.pk])).content.decode()
    assert photo.small.url in asset_page  # the inline shows the thumbnail; new photos come through the upload
