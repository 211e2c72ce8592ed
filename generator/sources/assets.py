"""Check the files editors name in the YAML (the logo): a path -> plain, located reasons to refuse it.

A file is judged by what it holds, not by its name: its first bytes say which image format it is
(Pillow reads PNG, JPEG and WebP and gives their size in pixels; an SVG must parse as an SVG
drawing), the format must be the one its name says, and it must be small. An SVG logo is not
cleaned but refused unless it keeps to a small allow-list of drawing elements and attributes
(`generator.text.documents.judge_svg_logo`): cleaning would publish something other than the
file in the repository, and an editor would not see what was taken out.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from generator.problems import Problem
from generator.sources.yamlsource import YamlDocument
from generator.text.documents import SVG_NS, judge_svg_logo

# A header logo is shown about 40 pixels high: these leave room for a sharp one on any screen.
MAX_LOGO_BYTES = 200_000
MAX_LOGO_PIXELS = 1_000  # in each direction
# What Pillow names each format, and the file endings that say it.
FORMATS = {"PNG": (".png",), "JPEG": (".jpg", ".jpeg"), "WEBP": (".webp",), "SVG": (".svg",)}
# How many of an SVG's findings are listed before "and N more".
_SHOWN = 3


def check_logo(doc: YamlDocument, root: Path) -> Iterator[Problem]:
    """The logo named in content/service.yaml is inside docs/ or content/, an image of the kind its
    name says, and within MAX_LOGO_BYTES and MAX_LOGO_PIXELS."""
    logo = doc.data.get("logo")
    if not isinstance(logo, str):
        return
    where = doc.where(("logo",))
    folder = Path(root).resolve()
    path = (folder / logo).resolve()
    if not any(path.is_relative_to(folder / part) for part in ("docs", "content")):
        yield Problem(where, f"the logo {logo} is not inside docs/ or content/")
        return
    if not path.is_file():
        yield Problem(where, f"there is no logo file {logo}")
        return
    size = path.stat().st_size
    if size > MAX_LOGO_BYTES:
        yield Problem(
            where,
            f"the logo {logo} is too large ({size:,} bytes; the limit is {MAX_LOGO_BYTES:,}): "
            "save a smaller image",
        )
        return
    with path.open("rb") as file:
        data = file.read(MAX_LOGO_BYTES + 1)
    message = logo_problem(logo, data)
    if message:
        yield Problem(where, message)


def logo_problem(name: str, data: bytes) -> str | None:
    """Why these bytes cannot be published as the logo `name`, or None."""
    kind = _format_of(data)
    if kind == "too many pixels":
        return (
            f"the logo {name} has far too many pixels; the limit is {MAX_LOGO_PIXELS} x "
            f"{MAX_LOGO_PIXELS}: save a smaller image"
        )
    if kind is None:
        return (
            f"the logo {name} is not a PNG, JPEG, WebP or SVG image (whatever its name says): "
            "save it again as one of these"
        )
    ending = Path(name).suffix.lower()
    if ending not in FORMATS[kind]:
        return (
            f"the logo {name} is {'an' if kind in ('SVG',) else 'a'} {kind} image, but its name "
            f"ends in {ending}: "
            f"rename it to end in {FORMATS[kind][0]}"
        )
    if kind == "SVG":
        findings = judge_svg_logo(data)
        if not findings:
            return None
        listed = "; ".join(f"line {f.line}, column {f.column}: {f.what}" for f in findings[:_SHOWN])
        more = f"; and {len(findings) - _SHOWN} more" if len(findings) > _SHOWN else ""
        return (
            f"the logo {name} holds what a logo may not ({listed}{more}). A logo may use only "
            "shapes, text and colours: save it as a plain SVG, or as a PNG"
        )
    width, height = _pixels(data)
    if width > MAX_LOGO_PIXELS or height > MAX_LOGO_PIXELS:
        return (
            f"the logo {name} is {width} x {height} pixels; the limit is {MAX_LOGO_PIXELS} x "
            f"{MAX_LOGO_PIXELS}: save a smaller image"
        )
    return None


def _format_of(data: bytes) -> str | None:
    """The image format by the file's content: Pillow for raster images, the root element for SVG."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = image.format
            image.verify()  # the whole file is read: a broken or truncated image is refused
    except Image.DecompressionBombError:
        return "too many pixels"
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return "SVG" if _is_svg(data) else None
    return kind if kind in FORMATS else None


def _pixels(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def _is_svg(data: bytes) -> bool:
    """Whether the document's first element is an SVG drawing (the rest is judge_svg_logo's)."""
    from xml.parsers import expat

    found: list[str] = []
    parser = expat.ParserCreate(namespace_separator=" ")

    def start(name, attributes):
        found.append(name)
        raise _Seen

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except (_Seen, expat.ExpatError):
        pass
    return bool(found) and found[0] == f"{SVG_NS} svg"


class _Seen(Exception):
    """The first element is read: nothing more is needed."""
