"""A PDF file written object by object, for test files no PDF library would produce."""

from __future__ import annotations


def pdf_from_objects(objects: list[bytes], trailer: bytes = b"") -> bytes:
    """Numbered objects (the first is the catalog), a cross-reference table and a trailer
    holding ``/Root 1 0 R`` plus ``trailer``."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s>>\n" % (len(objects) + 1, trailer)
    out += b"startxref\n%d\n%%%%EOF\n" % xref
    return bytes(out)


def stream_object(data: bytes, entries: bytes = b"") -> bytes:
    """A stream object's body: its dictionary (``/Length`` plus ``entries``) and data."""
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), entries, data)
