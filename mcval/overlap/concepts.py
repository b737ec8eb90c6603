"""A small curated table of work words that mean the same thing in a competency.

Overlap matching maps every word of a group to one concept, so "draft a memo
for a supervisor" and "write a memo for a manager" share their terms. Each
group lists words whose English Snowball stems differ; inflections ("writes",
"written") reach the group through the stemmer. The first word names the
concept in explanations.

The table is deliberately narrow: a word joins a group only when it can take
the other words' place in a competency statement without changing what is
assessed. Words with a second, unrelated meaning (a civil engineer, a job
application, a spot weld, a sales target) stay out, and so do words
whose stem another group already uses. For example, "manager" is missing
from the supervisor group because its stem is the stem of the verb "manage".
Paraphrases that use a word outside the table match only through the words
they keep.
"""

from __future__ import annotations

CONCEPT_GROUPS: tuple[tuple[str, ...], ...] = (
    # Verbs of the work itself.
    ("write", "draft", "compose"),
    ("record", "enter", "log", "input"),
    ("calculate", "estimate", "quantify"),
    ("build", "create", "construct", "develop", "prepare", "produce"),
    ("explain", "describe"),
    ("analyze", "analyse", "analysis", "examine", "evaluate", "assess"),
    ("plan", "schedule"),
    ("identify", "detect", "find"),
    ("fix", "repair", "resolve", "troubleshoot"),
    ("use", "apply", "operate", "utilize", "utilise"),
    ("follow", "comply", "adhere", "obey"),
    ("ask", "inquire", "enquire"),
    ("answer", "respond", "reply"),
    ("refer", "route", "forward", "redirect", "escalate"),
    ("prioritize", "prioritise", "rank"),
    ("track", "monitor", "oversee"),
    ("delegate", "assign", "allocate", "distribute"),
    ("protect", "secure", "safeguard"),
    ("install", "setup"),
    ("purchase", "buy", "procure"),
    ("sale", "sell"),
    ("decide", "decision", "choose", "choice", "select", "selection"),
    ("compare", "contrast"),
    ("coach", "mentor", "tutor"),
    ("negotiate", "bargain"),
    ("summarize", "summarise", "recap"),
    ("forecast", "projection", "predict", "prediction"),
    # People and organisations.
    ("colleague", "coworker", "teammate"),
    ("supervisor", "boss"),
    ("customer", "client", "patron", "consumer"),
    ("company", "business", "employer", "enterprise"),
    ("team", "group", "crew"),
    ("vendor", "supplier", "seller"),
    # Things at work.
    ("task", "duty", "chore"),
    ("problem", "fault", "malfunction"),
    ("policy", "rule", "regulation", "guideline"),
    ("procedure", "process", "protocol", "workflow"),
    ("meeting", "huddle"),
    ("cost", "expense", "expenditure", "spending"),
    ("goal", "objective", "aim"),
    ("data", "information"),
    ("chart", "graph", "diagram", "plot", "visualization", "visualisation"),
    ("spreadsheet", "workbook", "worksheet"),
    ("software", "app"),
    ("computer", "pc", "laptop", "desktop", "workstation"),
    ("conflict", "disagreement", "dispute"),
    ("feedback", "critique"),
    # Qualities.
    ("courteous", "polite", "respectful"),
    ("accurate", "precise", "exact"),
)
