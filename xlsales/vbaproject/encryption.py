"""MS-OVBA 2.4.3 data encryption: the obfuscation of the PROJECT stream's CMG, DPB and GC.

The key is the byte sum of the project's ID string, so these values belong to one project
ID; the seed and the ignored bytes are free (fixed here, so the output is reproducible).
"""

from __future__ import annotations

from xlsales.vbaproject.errors import CorruptVbaDataError

_VERSION = 2
SEED = 0x8D  # any byte; (SEED & 6) // 2 = 2 ignored bytes follow the key


def project_key(project_id: str) -> int:
    """The encryption key of a project: the 8-bit sum of the bytes of its ``{GUID}`` string."""
    return sum(project_id.encode("ascii")) & 0xFF


def encrypt(data: bytes, project_id: str, seed: int = SEED) -> str:
    """``data`` obfuscated for the project ``project_id``, as upper-case hex digits."""
    key = project_key(project_id)
    version_enc = seed ^ _VERSION
    key_enc = seed ^ key
    out = bytearray([seed, version_enc, key_enc])
    plain1, enc1, enc2 = key, key_enc, version_enc
    ignored = bytes((seed & 6) // 2)
    for byte in ignored + len(data).to_bytes(4, "little") + data:
        byte_enc = byte ^ ((enc2 + plain1) & 0xFF)
        out.append(byte_enc)
        enc2, enc1, plain1 = enc1, byte_enc, byte
    return out.hex().upper()


def decrypt(hex_text: str) -> tuple[int, bytes]:
    """The project key and the data of an obfuscated value (MS-OVBA 2.4.3.3)."""
    try:
        raw = bytes.fromhex(hex_text)
    except ValueError:
        raw = b""
    if len(raw) < 7 or raw[0] ^ raw[1] != _VERSION:
        raise CorruptVbaDataError(f"无法解密 PROJECT 流中的值 {hex_text!r}",
                                  f"cannot decrypt the PROJECT stream value {hex_text!r}")
    seed, version_enc, key_enc = raw[0], raw[1], raw[2]
    key = seed ^ key_enc
    plain1, enc1, enc2 = key, key_enc, version_enc
    plain = bytearray()
    for byte_enc in raw[3:]:
        byte = byte_enc ^ ((enc2 + plain1) & 0xFF)
        plain.append(byte)
        enc2, enc1, plain1 = enc1, byte_enc, byte
    ignored = (seed & 6) // 2
    length = int.from_bytes(plain[ignored:ignored + 4], "little")
    data = bytes(plain[ignored + 4:])
    if length != len(data):
        raise CorruptVbaDataError(
            f"PROJECT 流中的值 {hex_text!r} 长度不符（{length} ≠ {len(data)}）",
            f"the PROJECT stream value {hex_text!r} has a wrong length ({length} != {len(data)})")
    return key, data
