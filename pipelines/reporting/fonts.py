"""The fonts PDF summaries print in: DejaVu Sans (matplotlib's copy), cut down once to the scripts names
and figures are written in, and kept in the user's cache folder.

fpdf parses the whole font file for every document and subsets it again when it writes one: with the
6,000 glyphs of the full font that was most of the time of issuing a report. The cut-down copy keeps
Latin (with every extension and Vietnamese), Greek, Cyrillic, Hebrew and Arabic letters (with the
Arabic presentation forms: the joined letters), punctuation,
currency signs, arrows and mathematical operators (about 2,900 characters), without the layout tables fpdf does not
read. Built with fontTools from the pinned font, it is the same file on every machine; where the cache
cannot be written, the full font is used."""

from __future__ import annotations

import hashlib
import io
import logging
from functools import cache
from pathlib import Path

from fintra.cache import cache_folder, write_whole

log = logging.getLogger(__name__)

STYLES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
# code point ranges kept (inclusive); changing them changes CUT, so a new copy is built
RANGES = (
    (0x20, 0x36F),  # Latin, its extensions, IPA, modifier letters, combining accents
    (0x370, 0x3FF),  # Greek
    (0x400, 0x52F),  # Cyrillic
    (0x590, 0x6FF),  # Hebrew, Arabic
    (0xFB1D, 0xFDFF),  # Hebrew and Arabic presentation forms A (the joined letters pipelines.reporting.pdf draws)
    (0xFE70, 0xFEFF),  # Arabic presentation forms B
    (0x1E00, 0x1FFF),  # Latin extended additional (Vietnamese), Greek extended
    (0x2000, 0x20CF),  # punctuation, super- and subscripts, currency signs
    (0x2100, 0x214F),  # letter-like symbols (№, ™)
    (0x2190, 0x22FF),  # arrows, mathematical operators
    (0x25A0, 0x25FF),  # geometric shapes
    (0xFFFD, 0xFFFD),  # the replacement character
)
CUT = hashlib.sha256(repr(RANGES).encode()).hexdigest()[:8]


def _source_folder() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@cache
def font_path(style: str) -> Path:
    """The font file for `style` ("" or "B"): the cut-down copy, built on first use."""
    source = _source_folder() / STYLES[style]
    data = source.read_bytes()
    try:
        target = cache_folder("fonts") / f"{source.stem}-{hashlib.sha256(data).hexdigest()[:12]}-{CUT}.ttf"
        if target.exists():
            return target
        write_whole(target, _cut_down(data))  # whole or not at all, even with two processes building it
    except OSError as exc:
        log.warning("could not cache a cut-down %s (%s): printing with the full font", source.name, exc)
        return source
    return target


def _cut_down(data: bytes) -> bytes:
    from fontTools import subset
    from fontTools.ttLib import TTFont

    font = TTFont(io.BytesIO(data), recalcTimestamp=False)
    options = subset.Options()
    options.notdef_outline = True
    options.recommended_glyphs = True
    options.glyph_names = True  # fpdf subsets by glyph name
    options.layout_features = []
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "kern", "FFTM"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[u for first, last in RANGES for u in range(first, last + 1)])
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()
