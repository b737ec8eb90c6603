"""Reading award and revocation CSV files as Excel and other spreadsheets write them.

Reading never raises for a file's content: every problem becomes a finding.
Records keep the physical line on which they start, so a finding points at
the right line even after blank lines or a quoted value with line breaks.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from mcval.awards.columns import Header, is_revocation_header, read_header
from mcval.findings import Finding, Position, Severity

DELIMITERS = (",", ";", "\t")
# Excel writes this first line to name the delimiter, and reads it back.
_SEP_LINE = re.compile(r'^"?sep=(.)"?[,;\t]*$', re.IGNORECASE)
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_UTF32_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)


@dataclass(frozen=True)
class ReadLimits:
    """Bounds that keep reading fast and small for any input."""

    max_bytes: int
    max_rows: int


@dataclass(frozen=True)
class Record:
    """One data row: the line it starts on, and its cells with spaces trimmed."""

    line: int
    cells: tuple[str, ...]


@dataclass
class CsvFile:
    """One award or revocation file as read: its header, records and problems."""

    path: str
    header: Header | None = None
    records: list[Record] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    @property
    def revocation(self) -> bool:
        return self.header is not None and self.header.revocation

    @property
    def usable(self) -> bool:
        """Return whether the rows can be checked: the file and its header were read."""
        return self.header is not None and self.header.usable

    def add(self, line: int, col: int, code: str, message: str) -> None:
        self.findings.append(
            Finding(self.path, Position(line, col), code, Severity.ERROR, message)
        )


def read_csv_file(path: Path, display_path: str, limits: ReadLimits) -> CsvFile:
    """Read one CSV file into records, recording each problem as a finding."""
    result = CsvFile(display_path)
    raw = _read_bounded(path, result, limits)
    if raw is None:
        return result
    text = _decode(raw, result)
    if text is None:
        return result
    if "\x00" in text:
        result.add(
            1,
            1,
            "A004",
            "the file contains NUL characters, so it is not a text file or is"
            " UTF-16 without a byte order mark; save it as CSV UTF-8",
        )
        return result
    _parse(text, path.name, result, limits)
    return result


def _read_bounded(path: Path, result: CsvFile, limits: ReadLimits) -> bytes | None:
    try:
        with path.open("rb") as stream:
            raw = stream.read(limits.max_bytes + 1)
    except OSError as exc:
        result.add(1, 1, "A001", f"cannot read the file: {exc.strerror}")
        return None
    if len(raw) > limits.max_bytes:
        result.add(
            1,
            1,
            "A002",
            f"the file is larger than {limits.max_bytes:,} bytes and was not"
            " read; split it, or raise max_file_bytes under [awards] in mcval.toml",
        )
        return None
    return raw


def _decode(raw: bytes, result: CsvFile) -> str | None:
    """Decode by the byte order mark, else as UTF-8, else as Windows-1252."""
    if raw.startswith(_UTF32_BOMS):
        return _decode_as(raw, "utf-32", result)
    if raw.startswith(_UTF16_BOMS):
        return _decode_as(raw, "utf-16", result)
    if raw.startswith(codecs.BOM_UTF8):
        return _decode_as(raw, "utf-8-sig", result)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, col = _byte_position(raw, exc.start)
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as exc:
        bad_line, bad_col = _byte_position(raw, exc.start)
        result.add(
            bad_line,
            bad_col,
            "A003",
            f"byte 0x{raw[exc.start]:02x} is neither UTF-8 nor Windows-1252 text;"
            " save the file as CSV UTF-8",
        )
        return None
    result.findings.append(
        Finding(
            result.path,
            Position(line, col),
            "A003",
            Severity.WARNING,
            "the file is not UTF-8, so it was read as Windows-1252 (Excel's"
            " 'CSV (Comma delimited)'); check accented names, and save it as CSV"
            " UTF-8 next time",
        )
    )
    return text


def _decode_as(raw: bytes, encoding: str, result: CsvFile) -> str | None:
    try:
        return raw.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        name = encoding.removesuffix("-sig").upper()
        result.add(
            1,
            1,
            "A003",
            f"the file starts with a {name} byte order mark, but byte"
            f" {exc.start:,} is not valid {name}; save the file as CSV UTF-8",
        )
        return None


def _byte_position(raw: bytes, offset: int) -> tuple[int, int]:
    before = raw[:offset]
    return before.count(b"\n") + 1, offset - (before.rfind(b"\n") + 1) + 1


def _parse(text: str, file_name: str, result: CsvFile, limits: ReadLimits) -> None:
    # newline="" keeps line breaks inside quoted values, as the csv module needs,
    # and splits lines only at \n, \r\n and \r.
    lines = iter(io.StringIO(text, newline=""))
    consumed, delimiter, header_line = _find_header(lines)
    if header_line is None:
        result.add(1, 1, "A001", "the file has no header line; it is empty")
        return
    if delimiter is None:
        delimiter = detect_delimiter(header_line)

    source = _LineCounter(_chain(header_line, lines), consumed)
    rows = csv.reader(source, delimiter=delimiter, strict=True)
    try:
        _read_rows(rows, source, file_name, result, limits)
    except csv.Error as exc:
        result.add(
            source.count,
            1,
            "A004",
            f"the file is not valid CSV here ({exc}); check the quotes on this"
            " line and the ones before it. Rows from here on were not read",
        )


def _find_header(lines: Iterator[str]) -> tuple[int, str | None, str | None]:
    """Skip blank lines and Excel's `sep=` line.

    Return the number of lines before the header, the delimiter the `sep=`
    line names, and the header line itself.
    """
    consumed = 0
    delimiter = None
    for line in lines:
        stripped = line.strip("\r\n").lstrip("\ufeff")
        match = _SEP_LINE.match(stripped) if delimiter is None else None
        if match:
            delimiter = match.group(1)
        elif stripped.strip():
            return consumed, delimiter, line
        consumed += 1
    return consumed, delimiter, None


def _chain(first: str, rest: Iterator[str]) -> Iterator[str]:
    yield first
    yield from rest


class _LineCounter:
    """An iterator over lines that counts the physical lines read so far."""

    def __init__(self, lines: Iterator[str], count: int) -> None:
        self._lines = lines
        self.count = count

    def __iter__(self) -> _LineCounter:
        return self

    def __next__(self) -> str:
        line = next(self._lines)
        self.count += 1
        return line


def detect_delimiter(line: str) -> str:
    """Return the comma, semicolon or tab that occurs most often outside quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_rows(
    rows: Iterator[list[str]],
    source: _LineCounter,
    file_name: str,
    result: CsvFile,
    limits: ReadLimits,
) -> None:
    header_line = source.count + 1
    header_cells = next(rows)
    revocation = is_revocation_header(header_cells, file_name)
    result.header = read_header(header_cells, result.path, header_line, revocation)
    result.findings.extend(result.header.findings)
    width = len(header_cells)
    while True:
        line = source.count + 1
        cells = next(rows, None)
        if cells is None:
            return
        trimmed = tuple(cell.strip() for cell in cells)
        if not any(trimmed):
            continue
        if len(result.records) >= limits.max_rows:
            _too_many_rows(result, line, limits)
            return
        if any(trimmed[width:]):
            result.add(
                line,
                width + 1,
                "A004",
                f"the row has {len(trimmed)} cells, but the header has {width}"
                " columns; quote any value that contains the delimiter. The row"
                " was not read",
            )
            continue
        result.records.append(Record(line, trimmed))


def _too_many_rows(result: CsvFile, line: int, limits: ReadLimits) -> None:
    result.records.clear()
    result.add(
        line,
        1,
        "A002",
        f"the file has more than {limits.max_rows:,} rows and was not checked;"
        " split it, or raise max_rows under [awards] in mcval.toml",
    )
