"""Decode the bytes of a ``.py`` file the way CPython does, and refuse what CPython would refuse to run.

PEP 263 coding cookies (with CPython's spelling rules), a UTF-8 BOM, UTF-16/32 text and NUL bytes (which CPython
rejects), and minified one-line files (generated, never the project's source) each end as a ``Skipped`` with a
reason a person can act on.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

from pipreqs_action.model import Skipped, SourceText

__all__ = ["python_source"]

MINIFIED_MIN_BYTES = 100 * 1024
MINIFIED_LINE_CHARS = 1000

# PEP 263, as CPython's tokenizer applies it.
_COOKIE_RE = re.compile(rb"^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)", re.ASCII)
_BLANK_RE = re.compile(rb"^[ \t\f]*(?:[#\r\n]|$)", re.ASCII)
_UTF8_BOM = codecs.BOM_UTF8
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def python_source(rel: str, data: bytes) -> SourceText | Skipped:
    """Decode the way CPython would, and refuse what CPython would refuse to run."""
    reason = _binary_reason(data)
    if reason:
        return Skipped(rel, reason)
    decoded = _decode(data)
    if isinstance(decoded, str) and len(data) > MINIFIED_MIN_BYTES:
        average = len(decoded) // (decoded.count("\n") + 1)
        if average > MINIFIED_LINE_CHARS:
            return Skipped(rel, f"looks minified (average line {average} characters)")
    return SourceText(rel, decoded) if isinstance(decoded, str) else Skipped(rel, decoded.reason)


class _Refusal(NamedTuple):
    reason: str


def _binary_reason(data: bytes) -> str:
    """UTF-16/32 text and NUL bytes: CPython refuses both, so reading further is pointless."""
    if data.startswith(_UTF32_BOMS):
        return "UTF-32 encoded: Python cannot run it"
    if data.startswith(_UTF16_BOMS):
        return "UTF-16 encoded: Python cannot run it"
    first_nul = data.find(b"\0")
    if first_nul < 0:
        return ""
    wide = _wide_encoding(data[:1024])
    if wide:
        return f"{wide} encoded: Python cannot run it"
    return f"contains NUL bytes (first at offset {first_nul})"


def _wide_encoding(sample: bytes) -> str:
    """Spot BOM-less UTF-16/32 by where the zero bytes of mostly-ASCII text fall."""
    zeros = [sample[i::4].count(0) / max(len(sample[i::4]), 1) for i in range(4)]
    high = [share > 0.75 for share in zeros]
    low = [share < 0.25 for share in zeros]
    if (low[0] and all(high[1:])) or (all(high[:3]) and low[3]):
        return "UTF-32"
    if (low[0] and high[1] and low[2] and high[3]) or (high[0] and low[1] and high[2] and low[3]):
        return "UTF-16"
    return ""


def _decode(data: bytes) -> str | _Refusal:
    bom = data.startswith(_UTF8_BOM)
    body = data[len(_UTF8_BOM) :] if bom else data
    encoding = _cookie_encoding(body)
    if isinstance(encoding, _Refusal):
        return encoding
    if bom and encoding not in (None, "utf-8"):
        return _Refusal(f"coding cookie says {encoding} but the file starts with a UTF-8 BOM")
    try:
        return body.decode(encoding or "utf-8")
    except UnicodeDecodeError as exc:
        name = "UTF-8" if encoding in (None, "utf-8") else encoding
        offset = exc.start + (len(_UTF8_BOM) if bom else 0)
        return _Refusal(f"not valid {name} (byte 0x{exc.object[exc.start]:02x} at offset {offset})")
    except (LookupError, ValueError) as exc:
        return _Refusal(f"cannot decode with coding cookie {encoding!r}: {exc}")


def _cookie_encoding(data: bytes) -> str | _Refusal | None:
    """PEP 263: a cookie on line 1, or on line 2 when line 1 is blank or a comment."""
    first_end = data.find(b"\n") + 1 or len(data)
    first = data[:first_end]
    match = _COOKIE_RE.match(first)
    if match is None and _BLANK_RE.match(first):
        second_end = data.find(b"\n", first_end) + 1 or len(data)
        match = _COOKIE_RE.match(data[first_end:second_end])
    return _codec_for(match.group(1).decode("ascii")) if match else None


def _codec_for(cookie: str) -> str | _Refusal:
    """Normalise like CPython (``utf-8-unix`` and ``latin-1`` spellings) and reject non-ASCII-based codecs."""
    short = cookie[:12].lower().replace("_", "-")
    if short == "utf-8" or short.startswith("utf-8-"):
        return "utf-8"
    if short in ("latin-1", "iso-8859-1", "iso-latin-1") or short.startswith(("latin-1-", "iso-8859-1-")):
        return "iso-8859-1"
    try:
        name = codecs.lookup(cookie).name
    except LookupError:
        return _Refusal(f"unknown encoding {cookie!r} in coding cookie")
    try:
        usable = b"# ascii\n".decode(name) == "# ascii\n"
    except (LookupError, ValueError):  # not a bytes-to-text codec (rot13), or not ASCII-based (utf-16)
        usable = False
    return name if usable else _Refusal(f"coding cookie names {cookie!r}, which Python cannot use for source")
