"""Codes of the findings about award and revocation files, for `mcval rules`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class AwardCode:
    """One finding code: what it checks, why, an example fix and its severity."""

    name: str
    summary: str
    explanation: str
    example_fix: str
    severity: str = "error"


AWARD_CODES: dict[str, AwardCode] = {
    "A001": AwardCode(
        "unreadable-award-file",
        "The award file can be read as a CSV file.",
        "The file could not be opened, is empty, has no header line, is a"
        " spreadsheet workbook rather than CSV, or links outside the repository."
        " Nothing in it was checked.",
        "In Excel: File > Save As > CSV UTF-8 (Comma delimited) (*.csv).",
        "error; a warning for a .txt file, which mcval does not read",
    ),
    "A002": AwardCode(
        "award-file-too-large",
        "The award file stays within the size and row limits.",
        "Very large files are not read, so a wrong file cannot slow every check"
        " down. The limits are max_file_bytes and max_rows under [awards] in"
        " mcval.toml. None of the file's rows were checked.",
        "Split the file by term: awards/2026-fall.csv, awards/2027-spring.csv.",
    ),
    "A003": AwardCode(
        "award-file-encoding",
        "The award file is UTF-8 or UTF-16 text.",
        "Files are read as UTF-8, with or without a byte order mark, or as UTF-16"
        " with a byte order mark (Excel's 'Unicode Text'). A file that is not"
        " UTF-8 is read as Windows-1252, Excel's 'CSV (Comma delimited)' on a"
        " Western-language Windows, with a warning: check accented names.",
        "In Excel: File > Save As > CSV UTF-8 (Comma delimited) (*.csv).",
        "warning when read as Windows-1252; error when it cannot be decoded",
    ),
    "A004": AwardCode(
        "malformed-csv",
        "Every row is well-formed CSV.",
        "A quote is not closed, a row has more cells than the header has"
        " columns, or the file contains NUL characters. A row with more cells"
        " usually has a value with an unquoted comma; the row is not read. After"
        " a quoting problem the rest of the file is not read.",
        '"Ruiz, Jr.",Ana  # quote a value that contains the delimiter',
    ),
    "A005": AwardCode(
        "unknown-column",
        "Every column has a known name.",
        "A column whose name is not one of the accepted names is ignored; the"
        " finding names the closest accepted names, since it is often a typo.",
        "Rename 'E-mial' to 'email'.",
        "warning",
    ),
    "A006": AwardCode(
        "missing-column",
        "The header has every required column.",
        "An award file needs credential, email, first_name, last_name and"
        " date_earned; a revocation file needs credential, email and reason. The"
        " finding lists the accepted names. No rows of the file were checked.",
        "credential,email,first_name,last_name,date_earned",
    ),
    "A007": AwardCode(
        "duplicate-column",
        "No two columns hold the same field.",
        "Two columns whose names are aliases of the same field, such as 'email'"
        " and 'Recipient Email', leave it unclear which one counts. No rows of"
        " the file were checked.",
        "Delete one of the two columns.",
    ),
    "A008": AwardCode(
        "ignored-column",
        "Columns of Credly's bulk-issue template that mcval does not use are empty.",
        "Credly's bulk-issue template has columns such as Expiration Date and"
        " Locale. mcval ignores them: a badge's expiration comes from its"
        " proposal. The finding appears only when such a column has values.",
        "Clear the column, or delete it.",
        "info",
    ),
    "A101": AwardCode(
        "unknown-credential",
        "The credential is the id of a proposal in the repository.",
        "Each award names its micro-credential by the proposal's id, the name of"
        " its file in proposals/ without .yaml, not by its title or its Credly"
        " badge template id.",
        "collegewide-leadership-student-life",
    ),
    "A102": AwardCode(
        "credential-not-issuable",
        "The credential's proposal is approved or published.",
        "Only approved and published micro-credentials are awarded; the finding"
        " names the status the proposal has (draft, submitted or retired).",
        "Award it once its proposal is approved, or move the row to a later file.",
    ),
    "A103": AwardCode(
        "invalid-email",
        "The learner's e-mail address is valid.",
        "Credly sends the badge to this address, so it must be one address of"
        " the form name@domain. Spaces around it and letter case do not matter.",
        "ana.ruiz@example.edu",
    ),
    "A104": AwardCode(
        "email-domain",
        "The e-mail address belongs to an allowed domain.",
        "When email_domains under [awards] in mcval.toml lists domains, each"
        " learner's address must belong to one of them or to a subdomain.",
        "ana.ruiz@college.example.edu",
    ),
    "A105": AwardCode(
        "invalid-date",
        "The date earned is a real date in the expected format.",
        "Dates are YYYY-MM-DD, or the one format that date_format under [awards]"
        " in mcval.toml declares. The format is never guessed row by row,"
        " because 03/04/2026 means a different day in different countries.",
        "2026-11-20",
    ),
    "A106": AwardCode(
        "future-date",
        "The date earned is not in the future.",
        "An award records something the learner has already done.",
        "Use the day the learner completed the last assessment.",
    ),
    "A107": AwardCode(
        "date-before-approval",
        "The date earned is not before the credential was approved.",
        "A micro-credential exists from the day its last signature, the WDCE"
        " evaluation, was given, so it cannot have been earned earlier.",
        "Check the date, or that the row names the right credential.",
    ),
    "A108": AwardCode(
        "missing-name",
        "The learner's first and last name are given.",
        "Credly shows the badge with the learner's name and requires a first and"
        " a last name. A name must be on one line.",
        "Ana,Ruiz",
    ),
    "A109": AwardCode(
        "invalid-evidence-url",
        "An evidence URL, when given, is a web address.",
        "The evidence URL is shown on the badge and must start with https:// or"
        " http:// and name a host.",
        "https://portfolio.example.edu/ana-ruiz/capstone",
    ),
    "A110": AwardCode(
        "duplicate-award",
        "Each learner earns each credential once.",
        "Two rows with the same credential and the same e-mail address, or the"
        " same learner id, in one file or in two, would issue the badge twice;"
        " Credly rejects such duplicates. Both rows are named. Two revocations of"
        " the same award are reported the same way.",
        "Delete the later row.",
    ),
    "A111": AwardCode(
        "revocation-without-award",
        "A revocation names an award recorded in an award file.",
        "A revocation takes back a badge that an award file gave; the credential"
        " and e-mail address must match an award row.",
        "Check the e-mail address and the credential against the award file.",
    ),
    "A112": AwardCode(
        "missing-reason",
        "A revocation gives its reason.",
        "Credly shows the reason to the learner, so every revocation needs one.",
        "collegewide-leadership-student-life,ana.ruiz@example.edu,Awarded in error",
    ),
}
