"""Pictures officers put in the Board's own sections (the chair's photo in ``board/2025/foreword.md`` as
``![Cllr A Patel, chair of the Board](chair.jpg)``, or in a Word file): embedded in the report, or
refused with a message, never dropped without a word.

A picture is taken only from inside the council's data folder (a path that leaves it, by ``..`` or a
link, is refused), only as PNG, JPEG, GIF or WebP up to ``MAX_BYTES``, and only with a description (its
alt text, read aloud by a screen reader; the charts' rule). It is decoded and drawn again (``Pillow``), at
most ``MAX_SIDE`` pixels on its longer side, as a PNG (or a JPEG for a photo without transparency): what
reaches the report is pixels only, with no metadata (a phone photo's location, the camera's serial) and
nothing a crafted file could carry into a viewer. A picture on the web is refused, since the report
never fetches anything: save it into ``board/`` and name the file instead.
"""

from __future__ import annotations

import base64
import html
import io
from pathlib import Path

from cpkit.errors import AuthoredError

MAX_BYTES = 10 * 1024 * 1024  # a phone photo is 2-6 MB
MAX_SIDE = 1200  # pixels: sharp across an A4 page's text width in print, small in the HTML
MAX_PIXELS = 50_000_000  # a file claiming more is refused before it is decoded (a "decompression bomb")
FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}


def refuse(reason: str) -> None:
    """Why a picture is refused; the caller names the file and line."""
    raise AuthoredError(reason)


def picture_data(data: bytes) -> str:
    """The picture as a ``data:`` URI of a freshly drawn PNG or JPEG (see the module docstring)."""
    from PIL import Image, ImageOps, UnidentifiedImageError

    if len(data) > MAX_BYTES:
        refuse(f"it is {len(data) / 1e6:.1f} MB; the largest the kit takes is {MAX_BYTES / 1e6:.0f} MB")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format not in FORMATS:
                refuse(f"it is a {image.format} picture; save it as PNG or JPEG")
            if image.width * image.height > MAX_PIXELS:
                refuse(f"it is {image.width} x {image.height} pixels; make it smaller")
            photo = image.format in ("JPEG", "WEBP")
            image.seek(0)  # a GIF's first frame only
            drawn = ImageOps.exif_transpose(image)  # a phone photo the right way up
            drawn.load()
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as error:
        raise AuthoredError(f"it cannot be read as a picture ({error})") from None
    drawn.thumbnail((MAX_SIDE, MAX_SIDE))
    rgba = drawn.convert("RGBA")
    alpha = rgba.getextrema()[3][0] < 255  # some pixel not fully opaque
    photo = photo and not alpha
    out = io.BytesIO()
    if photo:
        drawn.convert("RGB").save(out, "JPEG", quality=85)
        return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")
    (rgba if alpha else drawn.convert("RGB")).save(out, "PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def local_picture(reference: str, folder: Path, data_dir: Path) -> str:
    """The picture a board file names (``chair.jpg``, ``pictures/chair.jpg``) as a data URI; its path is
    read from the file's ``folder`` and must stay inside ``data_dir``."""
    if "://" in reference or reference.startswith(("//", "data:", "http:", "https:", "file:")):
        refuse(
            "the report never fetches a picture from elsewhere; save the picture in the board/ folder "
            "and give its file name instead"
        )
    path = (folder / reference).resolve()
    try:
        path.relative_to(Path(data_dir).resolve())
    except ValueError:
        refuse("it is outside the data folder; put the picture in the board/ folder")
    if not path.is_file():
        refuse(f"there is no file {reference} in {folder.name}/ (names must match exactly, capitals too)")
    return picture_data(path.read_bytes())


def figure_html(uri: str, alt: str, caption: str | None = None) -> str:
    """A picture for the document, as a figure like the charts' (the Word file and the PDF take it)."""
    cap = f"<figcaption>{html.escape(caption)}</figcaption>" if caption else ""
    return (
        f'<figure class="cp-figure cp-authored-picture"><img src="{uri}" alt="{html.escape(alt)}" />'
        f"{cap}</figure>"
    )
