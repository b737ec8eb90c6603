"""Codes of the findings that come from reading files rather than from rules."""

from __future__ import annotations

# code: (name, summary, explanation, example fix)
LOADER_CODES: dict[str, tuple[str, str, str, str]] = {
    "Y001": (
        "yaml-syntax",
        "The file is valid YAML.",
        "The file could not be read as YAML at the line given; nothing after it"
        " was checked.",
        "title: 'Budgeting: the basics'  # quote a value that contains ': '",
    ),
    "Y002": (
        "duplicate-key",
        "No key appears twice in the same section.",
        "YAML tools keep only one of two equal keys, silently; the first is"
        " checked here, and both lines are named.",
        "title: Basic Workday Skills  # once, not twice",
    ),
    "Y003": (
        "tab-indentation",
        "Indentation uses spaces.",
        "YAML does not allow tabs for indentation.",
        "competencies:\n  - id: bb-1  # two spaces, no tab",
    ),
    "Y004": (
        "yes-no-word",
        "No unquoted yes, no, on or off.",
        "YAML 1.1 tools read yes, no, on, off, y and n as true or false, so a"
        " country code NO or a method off changes meaning.",
        'country: "NO"\nadvisory: true',
    ),
    "Y005": (
        "number-changes",
        "No unquoted value that a YAML tool would turn into another number.",
        "1.10 becomes 1.1, 0123 becomes 83 and 1:30 becomes 90 in YAML 1.1 tools.",
        'version: "1.10"\ncode: "0123"',
    ),
    "Y006": (
        "invalid-date",
        "Dates are real calendar dates.",
        "A date such as 2027-02-30 does not exist.",
        "review_by: 2027-02-28",
    ),
    "Y007": (
        "encoding",
        "The file is UTF-8.",
        "Files are read as UTF-8; other encodings garble names and accents.",
        "Save the file as UTF-8 in your editor.",
    ),
    "Y008": (
        "empty-file",
        "The file has content.",
        "An empty file is probably a mistake; delete it or fill it in.",
        "mcval new my-badge  # writes a complete starting point",
    ),
    "Y009": (
        "top-level-mapping",
        "The top level is a set of 'key: value' lines.",
        "A proposal is a mapping of fields such as id and title, not a list.",
        "id: my-badge\ntitle: My Badge",
    ),
    "Y010": (
        "too-large",
        "The file stays within the size and nesting limits.",
        "Files from pull requests are untrusted; very large or deeply nested"
        " files are rejected to keep checks fast.",
        "Split the content or remove what does not belong to the proposal.",
    ),
    "Y011": (
        "unsupported-yaml",
        "No anchors, aliases, merge keys or custom tags.",
        "These YAML features hide where a value comes from and can expand"
        " without bound, so values are written out in full.",
        "Write the repeated value in each place.",
    ),
    "Y012": (
        "typographic-quotes",
        "Quotes are straight quotes.",
        'Word processors turn " into typographic quotes, which YAML does not'
        " treat as quotes: they become part of the value.",
        'version: "1.10"  # straight quotes, typed in a plain-text editor',
    ),
    "S001": (
        "schema",
        "The file matches its JSON Schema.",
        "Fields, types and allowed values follow the schemas in schemas/; an"
        " editor with the YAML language server shows them as you type.",
        "level: foundational  # one of foundational, intermediate, advanced",
    ),
}
