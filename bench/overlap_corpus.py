"""Generated competency statements for the overlap benchmarks.

A statement joins an action, an object from one work domain and a purpose,
like "Record vendor invoices in the accounting system so that the monthly
close balances". Paraphrases use this module's own word list, written apart
from mcval's concept table: some of its substitutions are in the table and
some are not (HELD_OUT), so the benchmark also measures paraphrases that the
table cannot know.
"""

from __future__ import annotations

import random

ACTIONS = (
    "Record",
    "Prepare",
    "Explain",
    "Review",
    "Write",
    "Estimate",
    "Plan",
    "Identify",
    "Resolve",
    "Track",
    "Compare",
    "Present",
    "Check",
    "Organize",
    "Update",
    "Select",
)

# Each domain: objects and the purposes that go with them.
DOMAINS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bookkeeping": (
        (
            "vendor invoices in the accounting system",
            "a twelve-month operating budget for a small firm",
            "bank deposits and reconciliation statements",
            "payroll deductions and tax withholding amounts",
            "a cash-flow forecast for the next quarter",
            "depreciation schedules for office equipment",
            "accounts receivable aging reports",
            "petty cash receipts and expense reports",
        ),
        (
            "so that the monthly close balances",
            "before the auditor's visit",
            "for the owner of a small business",
            "according to generally accepted accounting principles",
        ),
    ),
    "it-support": (
        (
            "network printer and wireless router settings",
            "user accounts and password resets in the directory",
            "malware infections on a desktop computer",
            "cloud storage quotas and backup jobs",
            "operating system updates on laptops",
            "help desk tickets for hardware faults",
            "virtual machine images for a training lab",
            "firewall rules for a small office network",
        ),
        (
            "so that users can work without interruption",
            "following the vendor's documentation",
            "within the service level agreement",
            "for a client with ten workstations",
        ),
    ),
    "health-admin": (
        (
            "patient registration and insurance eligibility details",
            "appointment schedules for a busy outpatient clinic",
            "medical record release requests",
            "billing codes for routine office visits",
            "privacy incidents involving protected health information",
            "referral letters to specialist physicians",
            "clinic wait times and no-show rates",
            "consent forms for minor patients",
        ),
        (
            "in line with federal privacy law",
            "before the patient's visit",
            "so that claims are paid on first submission",
            "for the practice manager",
        ),
    ),
    "culinary": (
        (
            "food storage temperatures in the walk-in cooler",
            "recipe costs for a seasonal dinner menu",
            "allergen labels for prepared dishes",
            "kitchen sanitation logs and cleaning schedules",
            "inventory counts of dry goods and produce",
            "portion sizes for banquet service",
            "knife skills demonstrations for new cooks",
            "supplier orders for perishable ingredients",
        ),
        (
            "to meet the county health code",
            "so that food waste stays below target",
            "for a catering event of one hundred guests",
            "before the dinner service begins",
        ),
    ),
    "construction": (
        (
            "material takeoffs from residential blueprints",
            "jobsite hazard assessments and fall protection plans",
            "concrete pour schedules and curing times",
            "change orders for a kitchen remodel",
            "daily crew reports and equipment hours",
            "electrical load calculations for a panel upgrade",
            "permit applications for a deck addition",
            "punch lists at the end of a renovation",
        ),
        (
            "to satisfy the building inspector",
            "so that the project stays within budget",
            "following occupational safety standards",
            "for the general contractor",
        ),
    ),
    "customer-service": (
        (
            "complaints about late deliveries",
            "refund and exchange requests at the service desk",
            "customer satisfaction survey results",
            "product questions from callers on the support line",
            "loyalty program enrollments",
            "escalations of unresolved billing disputes",
            "chat transcripts with frustrated shoppers",
            "service recovery offers for repeat customers",
        ),
        (
            "in a courteous and professional tone",
            "within one business day",
            "following the store's return policy",
            "for the shift supervisor",
        ),
    ),
    "marketing": (
        (
            "social media posts for a product launch",
            "email campaign open and click rates",
            "a brand style guide for a local nonprofit",
            "search engine keywords for a small retailer",
            "customer personas from interview notes",
            "event flyers and promotional banners",
            "competitor pricing on online marketplaces",
            "a monthly content calendar",
        ),
        (
            "to grow the audience by ten percent",
            "for a client with a limited budget",
            "in line with the brand voice",
            "before the campaign goes live",
        ),
    ),
    "manufacturing": (
        (
            "machine setup sheets for a CNC lathe",
            "quality inspection results with calipers and gauges",
            "lockout and tagout steps for a conveyor",
            "production counts and scrap rates by shift",
            "preventive maintenance tasks for hydraulic presses",
            "work instructions for an assembly cell",
            "root causes of recurring part defects",
            "raw material lot numbers for traceability",
        ),
        (
            "to meet the customer's tolerance",
            "so that downtime stays below two percent",
            "following the plant's safety procedures",
            "for the production supervisor",
        ),
    ),
    "early-childhood": (
        (
            "developmental observations of toddlers",
            "daily lesson plans for a preschool classroom",
            "parent conference notes",
            "classroom behavior incidents",
            "nap and feeding schedules for infants",
            "learning center materials for literacy",
            "field trip permission slips and ratios",
            "screening results for speech delays",
        ),
        (
            "in line with state licensing rules",
            "for the center director",
            "so that each child's progress is visible to families",
            "before the family meeting",
        ),
    ),
    "logistics": (
        (
            "bills of lading for outbound freight",
            "warehouse pick lists and slotting plans",
            "forklift inspection checklists",
            "carrier rates for less-than-truckload shipments",
            "cycle count variances in the warehouse system",
            "delivery routes for a fleet of vans",
            "hazardous material labels on pallets",
            "returned goods authorizations",
        ),
        (
            "so that orders ship on the same day",
            "following federal transportation rules",
            "for the warehouse manager",
            "to keep inventory accuracy above ninety-nine percent",
        ),
    ),
}

# The generator's own substitutions, word for word or phrase for phrase.
PARAPHRASES: dict[str, tuple[str, ...]] = {
    # Also in mcval's concept table.
    "Record": ("Enter", "Log"),
    "Write": ("Draft", "Compose"),
    "Estimate": ("Calculate",),
    "Prepare": ("Produce", "Build"),
    "Explain": ("Describe",),
    "Review": ("Examine", "Evaluate"),
    "Identify": ("Detect", "Find"),
    "Resolve": ("Fix", "Troubleshoot"),
    "Track": ("Monitor",),
    "Select": ("Choose",),
    "supervisor": ("boss",),
    "client": ("customer",),
    "customer": ("client",),
    "business": ("company",),
    "firm": ("business",),
    "schedules": ("plans",),
    "problems": ("issues",),
    "policy": ("rules",),
    "procedures": ("processes",),
    # Held out: not in mcval's concept table.
    "Check": ("Verify", "Inspect"),
    "Organize": ("Arrange",),
    "Update": ("Revise", "Refresh"),
    "Present": ("Show",),
    "Plan": ("Map out",),
    "Compare": ("Benchmark",),
    "manager": ("lead",),
    "results": ("outcomes",),
    "notes": ("minutes",),
    "small": ("modest",),
    "busy": ("high-volume",),
    "reports": ("summaries",),
    "frustrated": ("upset",),
    "recurring": ("repeated",),
}
HELD_OUT = frozenset(
    {
        "Check",
        "Organize",
        "Update",
        "Present",
        "Plan",
        "Compare",
        "manager",
        "results",
        "notes",
        "small",
        "busy",
        "reports",
        "frustrated",
        "recurring",
    }
)
FILLERS = ("accurately", "correctly", "on time", "with care")


def statement(action: str, thing: str, purpose: str) -> str:
    return f"{action} {thing} {purpose}"


def paraphrase(text: str, rng: random.Random) -> tuple[str, bool]:
    """Return a reworded, reordered `text` and whether a held-out word was used.

    The purpose clause moves to the front, substitutable words change, one
    longer word is dropped, and a filler word may be added, as people do when
    they adapt a statement.
    """
    words = text.split()
    held_out = False
    changed = []
    for word in words:
        options = PARAPHRASES.get(word)
        if options and rng.random() < 0.8:
            changed.append(rng.choice(options))
            held_out = held_out or word in HELD_OUT
        else:
            changed.append(word)
    # One word of the object or purpose goes, as when a phrase is shortened.
    droppable = [i for i, word in enumerate(changed) if i > 0 and len(word) > 3]
    if droppable:
        del changed[rng.choice(droppable)]
    sentence = " ".join(changed)
    for marker in (" so that ", " to ", " for ", " before ", " following ", " in "):
        head, found, tail = sentence.partition(marker)
        if found and len(tail.split()) >= 2:
            # "X so that Y" becomes "So that Y, x": the clauses swap places.
            opening = marker.strip().capitalize()
            sentence = f"{opening} {tail}, {head[0].lower()}{head[1:]}"
            break
    if rng.random() < 0.5:
        sentence = f"{sentence} {rng.choice(FILLERS)}"
    return sentence, held_out


# The first BASE_OBJECTS objects of each domain make base competencies; the
# rest are used once each, in decoys.
BASE_OBJECTS = 6


def base_statements() -> list[tuple[str, str, str, str]]:
    """Return (domain, action, object, purpose) for each base competency."""
    found = []
    for number, (domain, (things, purposes)) in enumerate(DOMAINS.items()):
        for offset, thing in enumerate(things[:BASE_OBJECTS]):
            action = ACTIONS[(number + offset * 3) % len(ACTIONS)]
            found.append((domain, action, thing, purposes[offset % len(purposes)]))
    return found


def decoy_objects() -> dict[str, list[str]]:
    return {
        domain: list(things[BASE_OBJECTS:]) for domain, (things, _) in DOMAINS.items()
    }
