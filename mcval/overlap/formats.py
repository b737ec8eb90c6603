"""The `mcval overlap` report as a JSON-ready dict, text or Markdown."""

from __future__ import annotations

import json
import textwrap
from typing import Any

from mcval.overlap.analysis import OverlapReport
from mcval.overlap.model import CredentialOverlap, Match, ProposalEntry

JSON_FORMAT_VERSION = 1


def build_document(
    report: OverlapReport, proposal: ProposalEntry | None
) -> dict[str, Any]:
    """Return the overlaps and gaps of one proposal, or of all, as plain data."""
    proposals = report.proposals if proposal is None else [proposal]
    pairs = (
        report.all_credential_overlaps()
        if proposal is None
        else report.credential_overlaps(proposal)
    )
    gaps = [report.library_gap(p) for p in proposals]
    thresholds = report.thresholds
    return {
        "version": JSON_FORMAT_VERSION,
        "thresholds": {
            "competency": thresholds.competency,
            "credential": thresholds.credential,
            "library": thresholds.library,
            "certification": thresholds.certification,
        },
        "credential_overlaps": [_pair(pair) for pair in pairs],
        "library_matches": [
            _match(p, match)
            for p in proposals
            for match in report.library_matches(p)
            if match.left.library_item != match.right.library_item
        ],
        "certification_matches": [
            _match(p, match)
            for p in proposals
            for match in report.certification_matches(p)
        ],
        "library_gaps": [
            {
                "proposal": gap.proposal.proposal_id,
                "badge": gap.badge,
                "acknowledged": gap.badge in gap.proposal.acknowledged,
                "missing": [
                    {"item": s.reference, "dimension": s.label, "statement": s.text}
                    for s in gap.missing
                ],
            }
            for gap in gaps
            if gap is not None
        ],
        "stacking_gaps": [
            {
                "proposal": gap.part.proposal_id,
                "target": gap.target.proposal_id,
                "parts": list(gap.parts),
                "acknowledged": gap.target.proposal_id in gap.part.acknowledged,
                "missing": [
                    {"competency": s.key, "statement": s.text} for s in gap.missing
                ],
            }
            for p in proposals
            for gap in report.stacking_gaps(p)
        ],
    }


def _pair(pair: CredentialOverlap) -> dict[str, Any]:
    return {
        "proposal": pair.proposal.proposal_id,
        "other": pair.other.proposal_id,
        "score": round(pair.score, 2),
        "coverage": round(pair.coverage, 2),
        "covered": pair.covered,
        "competencies": len(pair.proposal.statements),
        "other_coverage": round(pair.other_coverage, 2),
        "other_covered": pair.other_covered,
        "other_competencies": len(pair.other.statements),
        "acknowledged": pair.other.proposal_id in pair.proposal.acknowledged,
        "other_acknowledged": pair.proposal.proposal_id in pair.other.acknowledged,
        "matches": [
            {
                "competency": m.left.key,
                "statement": m.left.text,
                "other_competency": m.right.key,
                "other_statement": m.right.text,
                "similarity": m.similarity,
                "terms": list(m.terms),
            }
            for m in pair.matches
        ],
    }


def _match(proposal: ProposalEntry, match: Match) -> dict[str, Any]:
    return {
        "proposal": proposal.proposal_id,
        "competency": match.left.key,
        "statement": match.left.text,
        "source": match.right.owner,
        "item": (
            match.right.reference
            if match.right.source == "library"
            else f"{match.right.owner}: {match.right.key}"
        ),
        "name": match.right.label,
        "item_statement": match.right.text,
        "similarity": match.similarity,
        "terms": list(match.terms),
        "acknowledged": match.right.owner in proposal.acknowledged,
    }


def format_json(document: dict[str, Any]) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False)


def format_text(document: dict[str, Any]) -> str:
    """Return the report for a terminal: pairs ranked, statements side by side."""
    lines = [textwrap.fill(_threshold_line(document), width=88), ""]
    lines.append("Overlapping proposals (share of each one found in the other):")
    for pair in document["credential_overlaps"]:
        lines.append(
            f"  {pair['proposal']} {_share(pair, '')} <-> "
            f"{pair['other']} {_share(pair, 'other_')}{_ack(pair)}"
        )
        for m in pair["matches"]:
            lines.append(
                f"    {m['similarity']:.2f}  {m['competency']}: {m['statement']}"
            )
            lines.append(f"          {m['other_competency']}: {m['other_statement']}")
            lines.append(f"          shared terms: {', '.join(m['terms'])}")
    if not document["credential_overlaps"]:
        lines.append("  none")
    for key, heading in (
        ("library_matches", "Competencies that restate a library item:"),
        ("certification_matches", "Competencies that match a certification domain:"),
    ):
        lines.extend(["", heading])
        for m in document[key]:
            lines.append(
                f"  {m['similarity']:.2f}  {m['proposal']} {m['competency']}:"
                f" {m['statement']}{_ack(m)}"
            )
            lines.append(f"        {m['item']}: {m['item_statement']}")
            lines.append(f"        shared terms: {', '.join(m['terms'])}")
        if not document[key]:
            lines.append("  none")
    lines.extend(["", "Gaps:"])
    lines.extend(_gap_lines(document))
    return "\n".join(lines)


def _threshold_line(document: dict[str, Any]) -> str:
    t = document["thresholds"]
    return (
        "How to read this: the number before each pair of statements is their"
        " similarity, from 0 (no word in common) to 1 (the same words). Two"
        f" competencies count as the same at {t['competency']} or more, a library"
        f" item at {t['library']}, an exam domain at {t['certification']}; a"
        f" proposal overlaps another when {t['credential']:.0%} of its"
        " competencies match. Shared terms are the words that matched, and"
        " 'a ≈ b' joins two words counted as one. The limits are set under"
        " [overlap] in mcval.toml."
    )


def _share(pair: dict[str, Any], prefix: str) -> str:
    covered, total = pair[f"{prefix}covered"], pair[f"{prefix}competencies"]
    return f"({covered} of {total}, {pair[f'{prefix}coverage']:.0%})"


def _ack(entry: dict[str, Any]) -> str:
    return "  [acknowledged]" if entry.get("acknowledged") else ""


def _gap_lines(document: dict[str, Any]) -> list[str]:
    lines = []
    for gap in document["library_gaps"]:
        lines.append(
            f"  {gap['proposal']} leaves out of library badge '{gap['badge']}':"
            f"{_ack(gap)}"
        )
        lines.extend(
            f"    {s['item']} ({s['dimension']}): {s['statement']}"
            for s in gap["missing"]
        )
    for gap in document["stacking_gaps"]:
        lines.append(
            f"  {gap['target']} needs what none of {', '.join(gap['parts'])}"
            f" provides:{_ack(gap)}"
        )
        lines.extend(f"    {s['competency']}: {s['statement']}" for s in gap["missing"])
    return lines or ["  none"]


def _cell(text: object) -> str:
    """Return text safe in a Markdown table cell, shortened for comments.

    '<' becomes an entity so that '<!--' cannot hide the rest of a pull
    request comment, and '@' so that a team name does not notify anyone.
    """
    shown = str(text).replace("\n", " ")
    if len(shown) > _CELL_CHARACTERS:
        shown = shown[: _CELL_CHARACTERS - 1] + "…"
    return shown.replace("|", "\\|").replace("<", "&lt;").replace("@", "&#64;")


_CELL_CHARACTERS = 300


def format_markdown(document: dict[str, Any]) -> str:
    """Return the report as Markdown tables, for a pull request or job summary."""
    lines = ["## Overlap and gaps", "", _threshold_line(document), ""]
    lines.append("| proposal | share in other | other | share in proposal |")
    lines.append("|---|---:|---|---:|")
    for pair in document["credential_overlaps"]:
        lines.append(
            f"| {_cell(pair['proposal'])}{_ack(pair)} | {_share(pair, '')} |"
            f" {_cell(pair['other'])} | {_share(pair, 'other_')} |"
        )
    for pair in document["credential_overlaps"]:
        lines.extend(["", f"### {pair['proposal']} and {pair['other']}", ""])
        lines.append("| similarity | competency | other competency | shared terms |")
        lines.append("|---:|---|---|---|")
        for m in pair["matches"]:
            lines.append(
                f"| {m['similarity']:.2f} | {m['competency']}: {_cell(m['statement'])}"
                f" | {m['other_competency']}: {_cell(m['other_statement'])}"
                f" | {_cell(', '.join(m['terms']))} |"
            )
    for key, heading in (
        ("library_matches", "Restated library items"),
        ("certification_matches", "Certification domains"),
    ):
        lines.extend(["", f"### {heading}", ""])
        lines.append("| similarity | competency | matches | shared terms |")
        lines.append("|---:|---|---|---|")
        for m in document[key]:
            lines.append(
                f"| {m['similarity']:.2f} | {m['proposal']} {m['competency']}:"
                f" {_cell(m['statement'])}{_ack(m)} | {m['item']}:"
                f" {_cell(m['item_statement'])} | {_cell(', '.join(m['terms']))} |"
            )
    lines.extend(["", "### Gaps", ""])
    # The text layout indents by two spaces a level; Markdown needs list items.
    lines.extend(
        line.replace("    ", "  - ", 1)
        if line.startswith("    ")
        else "- " + line.strip()
        for line in _gap_lines(document)
    )
    return "\n".join(lines)


FORMATTERS = {"text": format_text, "json": format_json, "markdown": format_markdown}
