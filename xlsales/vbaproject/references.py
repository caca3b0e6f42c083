"""References of a VBA project (MS-OVBA 2.3.4.2.2) and their ``dir`` stream records.

The defaults are the references Excel wrote into the project of xlwings' quickstart
workbook: the Microsoft Forms 2.0 control library and the Office object library (the
VBA and Excel libraries are implied by the host and never listed).
"""

from __future__ import annotations

import struct
import uuid
from dataclasses import dataclass

_MBCS = "cp1252"


def _text(record_id: int, text: str, encoding: str = _MBCS) -> bytes:
    data = text.encode(encoding)
    return struct.pack("<HI", record_id, len(data)) + data


def _sized(text: str) -> bytes:
    data = text.encode(_MBCS)
    return struct.pack("<I", len(data)) + data


def _name_records(name: str) -> bytes:
    return _text(0x0016, name) + _text(0x003E, name, "utf-16-le")


@dataclass(frozen=True)
class RegisteredReference:
    """A reference to a registered type library (REFERENCEREGISTERED)."""

    name: str
    libid: str

    def records(self) -> bytes:
        """The REFERENCENAME and REFERENCEREGISTERED records."""
        body = _sized(self.libid) + struct.pack("<IH", 0, 0)
        return _name_records(self.name) + struct.pack("<HI", 0x000D, len(body)) + body


@dataclass(frozen=True)
class ControlReference:
    """A reference to an ActiveX control library (REFERENCEORIGINAL + REFERENCECONTROL)."""

    name: str
    libid_original: str
    libid_twiddled: str
    libid_extended: str
    original_typelib: str
    cookie: int

    def records(self) -> bytes:
        """The REFERENCENAME, REFERENCEORIGINAL and REFERENCECONTROL records."""
        twiddled = _sized(self.libid_twiddled) + struct.pack("<IH", 0, 0)
        extended = (_sized(self.libid_extended) + struct.pack("<IH", 0, 0)
                    + uuid.UUID(self.original_typelib).bytes_le
                    + struct.pack("<I", self.cookie))
        return (_name_records(self.name)
                + _text(0x0033, self.libid_original)
                + struct.pack("<HI", 0x002F, len(twiddled)) + twiddled
                + _name_records(self.name)
                + struct.pack("<HI", 0x0030, len(extended)) + extended)


Reference = RegisteredReference | ControlReference

MSFORMS = ControlReference(
    name="MSForms",
    libid_original="*\\G{0D452EE1-E08F-101A-852E-02608C4D0BB4}#2.0#0#"
                   "C:\\Windows\\system32\\FM20.DLL#Microsoft Forms 2.0 Object Library",
    libid_twiddled="*\\G{00000000-0000-0000-0000-000000000000}#0.0#0##",
    libid_extended="*\\G{25A06F1F-CB74-4EA9-99E8-704B89FB01D7}#2.0#0#"
                   "C:\\Users\\felix\\AppData\\Local\\Temp\\VBE\\MSForms.exd"
                   "#Microsoft Forms 2.0 Object Library",
    original_typelib="{0D452EE1-E08F-101A-852E-02608C4D0BB4}",
    cookie=1,
)
OFFICE = RegisteredReference(
    name="Office",
    libid="*\\G{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}#2.0#0#C:\\Program Files\\Common Files"
          "\\Microsoft Shared\\OFFICE16\\MSO.DLL#Microsoft Office 16.0 Object Library",
)
DEFAULT_REFERENCES: tuple[Reference, ...] = (MSFORMS, OFFICE)
