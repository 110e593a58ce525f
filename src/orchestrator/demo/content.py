"""The demo's records: content taken from the report that proposes the Digitalisation Orchestrator."""

from orchestrator.core.models import DocumentType, Mitigation, Sensitivity, Visibility

SOURCE = "Digitalisation Orchestrator report (the consortium's proposal), 2024"

# Declarations with interests; everyone else makes a nil return. (local part: (text, organisations))
INTERESTS = {
    "advisor5": (
        "Research grant from Gridlink Digital Ltd for asset data quality work (2023–2025).",
        ["Gridlink Digital Ltd"],
    ),
    "board.member1": (
        "Non-executive director, Midlands Electricity Networks.",
        ["Midlands Electricity Networks"],
    ),
}

DOCUMENTS = [
    {
        "key": "dsi",
        "title": "Data Sharing Infrastructure: transition to Orchestrator oversight",
        "owner": "Product Team",
        "author": "product",
        "type": DocumentType.REPORT,
        "subject": "Data Sharing Infrastructure, DSI, VirtualES, Prepare, Trust, Share",
        "source": SOURCE,
        "summary": "How the Data Sharing Infrastructure, now in alpha, would move under the "
        "Orchestrator's oversight while VirtualES continues as a Design Body.",
        "body": """The Data Sharing Infrastructure (DSI) has been developed by a consortium led by National Grid ESO, with support of the National Digital Twin Programme, to support the Virtual Energy System (VirtualES) programme. The DSI work is currently considered to be in its **alpha** phase.

## Development of work

Once the Orchestrator exists and is ready to take on projects, it would take on the oversight and coordination of development of the relevant parts of the DSI — **Prepare, Trust, Share** — from VirtualES, and would subcontract Delivery Partners to continue to develop the work and operate the DSI. This may include appointing an 'operator' of the DSI.

As this work progresses, all documentation relating to the development of the DSI will be transferred into the Shared Knowledge Base.

## Future looking

The Delivery Partner, or 'operator', of the DSI would then be responsible for its development, security and interoperability, with market users using that infrastructure to deliver their own use cases: VirtualES, the Flexibility Digital Infrastructure, or third-party implementations.
""",
        "triage": {"outcome": Visibility.OPEN},
    },
    {
        "key": "aar",
        "title": "Automatic Asset Registration: origin of requirements",
        "owner": "Research & Engagement Team",
        "author": "research",
        "type": DocumentType.RESEARCH,
        "subject": "Automatic Asset Registration, AAR, low carbon assets, flexibility",
        "source": SOURCE,
        "summary": "Research finding that only around 40% of low carbon assets are visible to "
        "energy network companies, and the route from that need to a Design Body.",
        "body": """The Research and Engagement Team, having commissioned research or undertaken it itself, identifies the need for low carbon assets to be visible to energy network companies, noting that the visibility of these is estimated to be at **around 40%**.

This is presented to the Independent Technical Advisors, who — within the confines of processes set out by the Portfolio Management Team — task the Architecture Team with scoping high-level solutions.

## Development of work

Once a high-level architecture approach has been developed and agreed by the Independent Technical Advisors, a contract or tender is issued by the Portfolio Management Team, with support from Legal. A Design Body then develops the Solution Architecture and, once a Delivery Partner is contracted, stage-gates its work.

## Ongoing solution management

Once live, the Design Body supports oversight for a specified time; the Delivery Partner runs the AAR solution to the terms of its contract, which say for how long it is liable to run the service and how costs are expected to be recovered.
""",
        "triage": {"outcome": Visibility.OPEN},
    },
    {
        "key": "auth",
        "title": "Authentication Service: two scenarios for delivery",
        "owner": "Architecture Team",
        "author": "architect",
        "type": DocumentType.DESIGN,
        "subject": "Authentication Service, identity, interoperability",
        "source": SOURCE,
        "summary": "A common authentication service for shared digital infrastructure: an "
        "open-source replicable pattern (scenario A) or an operated service (scenario B).",
        "body": """An authentication service — a way of ensuring the identity of a user in a digital system — is a common component in many systems. As shared digital infrastructure becomes more complex, the need for authentication services is likely to increase, and the Orchestrator may identify the need to standardise authentication across its component parts.

## Scenario A: a replicable pattern

A working prototype is developed, with documentation, and made available as open source for the sector. A Delivery Partner maintains and updates the open-source code so that organisations can keep interoperable.

## Scenario B: an operated service

For the resilience of the whole energy system, one organisation runs and operates the Authentication Service; the Orchestrator uses its influence and contracts to ensure that all shared digital infrastructure that needs authentication uses it. A Delivery Partner operates the service and integrates it with key systems.
""",
        "triage": {"outcome": Visibility.OPEN},
    },
    {
        "key": "guidance",
        "title": "Contributing to the Shared Knowledge Base",
        "owner": "Research & Engagement Team",
        "author": "research",
        "type": DocumentType.GUIDANCE,
        "subject": "presumed open, triage, contributors",
        "source": SOURCE,
        "summary": "What the Shared Knowledge Base is for, who contributes to it, and how "
        "open-data triage decides what is published.",
        "body": """The Shared Knowledge Base is a 'presumed open' resource that provides a gateway to all the information the Orchestrator creates directly and indirectly. It is populated collectively by the Orchestrator's teams and its Delivery Partners, and curated by Research & Engagement, who ensure contributions meet an agreed standard.

Every record is triaged before it is published. The outcome is **open** unless a finding — personal data, security of infrastructure, commercial, consumer impact, or legal and regulatory — says otherwise, and anything less than open must give its reason. Those reasons are published in the withheld register.
""",
        "triage": {"outcome": Visibility.OPEN},
    },
    {
        "key": "survey",
        "title": "Network operator asset data quality survey: responses",
        "owner": "Research & Engagement Team",
        "author": "research",
        "type": DocumentType.RESEARCH,
        "subject": "asset data, survey, Automatic Asset Registration",
        "summary": "Aggregated findings from network operators on the quality of their "
        "records of low carbon assets.",
        "body": """Respondents' names and contact details are held by Research & Engagement.

| Operator type | Responses | Assets with complete records |
|---|---|---|
| Distribution network operators | 6 | 38% |
| Independent network operators | 4 | 45% |
""",
        "triage": {
            "outcome": Visibility.OPEN,
            "sensitivities": [
                {
                    "category": Sensitivity.PERSONAL_DATA,
                    "finding": "The body named individual respondents.",
                    "mitigation": Mitigation.REDACT,
                }
            ],
            "redacted": ["body"],
            "rationale": "Published with the respondent-level body redacted.",
        },
    },
    {
        "key": "participants",
        "title": "DSI trust framework: pilot participants",
        "owner": "VirtualES Programme",
        "author": "designbody",
        "type": DocumentType.DESIGN,
        "subject": "Data Sharing Infrastructure, trust framework",
        "summary": "The organisations taking part in the DSI trust framework pilot, and the "
        "conditions of their participation.",
        "body": "Twelve organisations take part in the pilot under light-touch conditions of use.",
        "triage": {
            "outcome": Visibility.REGISTERED,
            "sensitivities": [
                {
                    "category": Sensitivity.COMMERCIAL,
                    "finding": "Participants agreed to be named to registered users only.",
                    "mitigation": Mitigation.RESTRICT,
                }
            ],
            "rationale": "Participants agreed to be named to registered users of the knowledge "
            "base, not published openly, while the pilot runs.",
        },
    },
    {
        "key": "tender",
        "title": "AAR Design Body tender: evaluation notes",
        "owner": "Portfolio Management Team",
        "author": "portfolio",
        "type": DocumentType.OTHER,
        "subject": "procurement, Automatic Asset Registration",
        "summary": "Evaluation of bids for the Automatic Asset Registration Design Body.",
        "body": "Scores and moderation notes for each bid against the published criteria.",
        "triage": {
            "outcome": Visibility.RESTRICTED,
            "sensitivities": [
                {
                    "category": Sensitivity.COMMERCIAL,
                    "finding": "Bidders' prices and methods are commercially confidential.",
                    "mitigation": Mitigation.RESTRICT,
                }
            ],
            "rationale": "Bid details are commercially confidential until contract award; "
            "shared with the regulator and the appointed Design Body.",
            "restricted_to": ["Ofgem", "VirtualES Programme"],
        },
    },
    {
        "key": "threat",
        "title": "Authentication Service: threat model",
        "owner": "Architecture Team",
        "author": "architect",
        "type": DocumentType.DESIGN,
        "subject": "security, threat modelling, Authentication Service",
        "summary": "Threats to a sector-wide authentication service and their mitigations.",
        "body": "Attack trees for credential compromise across dependent shared infrastructure.",
        "triage": {
            "outcome": Visibility.CLOSED,
            "sensitivities": [
                {
                    "category": Sensitivity.SECURITY,
                    "finding": "Describes attack paths against critical national infrastructure.",
                    "mitigation": Mitigation.RESTRICT,
                }
            ],
            "rationale": "Security of critical national infrastructure: the threat model is "
            "closed; its existence and review date are public.",
            "title_public": False,
        },
    },
    {
        "key": "interim",
        "title": "Interim governance options for the Data Sharing Infrastructure",
        "owner": "Product Team",
        "author": "product",
        "type": DocumentType.POLICY,
        "subject": "governance, Data Sharing Infrastructure",
        "source": SOURCE,
        "summary": "Options considered before Ofgem's consultation on an Interim Data Sharing "
        "Infrastructure Coordinator.",
        "body": "In July 2024 Ofgem consulted on the governance of the Data Sharing Infrastructure, recommending that ESO take on the role of Interim Data Sharing Infrastructure Coordinator.",
        "triage": {"outcome": Visibility.OPEN},
        "archive": "Superseded by Ofgem's consultation on the Interim DSI Coordinator.",
    },
    {
        "key": "operator",
        "title": "DSI operator: appointment options (draft)",
        "owner": "Portfolio Management Team",
        "author": "portfolio",
        "type": DocumentType.POLICY,
        "summary": "Options for appointing an 'operator' of the Data Sharing Infrastructure.",
        "body": "Competitive appointment, direct award to an existing operator, or a consortium.",
    },
    {
        "key": "alpha",
        "title": "VirtualES alpha assessment notes (draft)",
        "owner": "VirtualES Programme",
        "author": "designbody",
        "type": DocumentType.DESIGN,
        "summary": "Notes towards the DSI alpha assessment.",
        "body": "Working notes; not yet submitted for triage.",
    },
]

LINKS = [
    # source, relation, target, who
    ("aar", "depends_on", "auth", "architect"),
    ("dsi", "references", "aar", "product"),
    ("threat", "affects", "auth", "architect"),
    ("tender", "references", "aar", "portfolio"),
    ("survey", "evidence_for", "aar", "research"),
    ("participants", "part_of", "dsi", "designbody"),
    ("dsi", "supersedes", "interim", "product"),
]

# Topics Research & Engagement curate, and the documents they file under each (by key).
TOPICS = [
    (
        "Data sharing",
        "The Data Sharing Infrastructure: its governance, trust framework and transition to the Orchestrator.",
        ["dsi", "participants", "interim", "operator"],
    ),
    (
        "Asset registration",
        "Automatic Asset Registration: requirements, data quality and its Design Body.",
        ["aar", "survey", "tender"],
    ),
    (
        "Identity and authentication",
        "How people and systems prove who they are across the shared digital infrastructure.",
        ["auth", "threat"],
    ),
    (
        "Taking part",
        "How to contribute to the Shared Knowledge Base and engage with the Orchestrator.",
        ["guidance"],
    ),
]

# Submissions through the engagement channel, in every state. `resolve` is None for one still
# waiting in Research & Engagement's queue; `about` and `duplicate_of` are document and submission keys.
SUBMISSIONS = [
    {
        "key": "consent",
        "who": "stakeholder",
        "category": "risk",
        "title": "Consent for sharing household data is not addressed",
        "text": (
            "The Data Sharing Infrastructure papers say little about how households consent to their "
            "smart meter data being shared, or withdraw that consent. Without it, suppliers may not join."
        ),
        "about": "dsi",
        "resolve": {
            "decision": "accept",
            "answer": "Accepted: consent is now a requirement for the DSI trust framework's next version.",
        },
    },
    {
        "key": "consent-again",
        "who": "regulator",
        "category": "concern",
        "title": "Household consent in the DSI",
        "text": "How will consumers give and withdraw consent for their data in the DSI?",
        "about": "dsi",
        "resolve": {"decision": "merge", "duplicate_of": "consent"},
    },
    {
        "key": "flex",
        "who": "delivery",
        "category": "opportunity",
        "title": "Reuse the asset register for flexibility services",
        "text": (
            "Automatic Asset Registration will hold what flexibility markets need to qualify assets. "
            "Designing the register's API with flexibility providers would save a second register."
        ),
        "about": "aar",
        "resolve": {
            "decision": "answer",
            "answer": "Thank you. The AAR Design Body will consult flexibility providers on the API in its alpha.",
        },
    },
    {
        "key": "timing",
        "who": "stakeholder",
        "category": "dependency",
        "title": "Authentication Service must be ready before DSI onboarding",
        "text": "Onboarding DSI participants depends on the Authentication Service. Its dates should be aligned.",
        "about": "auth",
        "resolve": None,
    },
    {
        "key": "site",
        "who": "stakeholder",
        "category": "feedback",
        "title": "The knowledge base is easy to search",
        "text": (
            "I found the asset registration papers in a minute. My colleague Jo Bloggs, "
            "jo.bloggs@example.invalid, would like a weekly e-mail of changes."
        ),
        "about": None,
        "resolve": {
            "decision": "answer",
            "answer": "Thank you. Anyone signed in can now follow a record, kind or topic for an e-mail digest.",
            "personal_data": True,
        },
    },
    {
        "key": "pricing",
        "who": "delivery",
        "category": "concern",
        "title": "Supplier tariffs should be regulated by the Orchestrator",
        "text": "The Orchestrator should set the tariffs energy suppliers charge.",
        "about": None,
        "resolve": {
            "decision": "decline",
            "reason": "Retail tariffs are for Ofgem, not the Orchestrator, whose remit is shared digital infrastructure.",
        },
    },
    {
        "key": "weakness",
        "who": "designbody",
        "category": "risk",
        "title": "A weakness in a pilot participant's gateway",
        "text": "A pilot participant's gateway accepts expired certificates.",
        "about": "participants",
        "resolve": {
            "decision": "accept",
            "outcome": "closed",
            "sensitivity": "security",
            "rationale": "It describes an unfixed security weakness in live infrastructure.",
        },
    },
    {
        "key": "metrics",
        "who": "regulator",
        "category": "feedback",
        "title": "Publish the success measures for each investment",
        "text": "It would help us to see each investment's success measures alongside its status.",
        "about": None,
        "resolve": None,
    },
]

# Who follows what (people by their e-mail's local part): records by key, kinds, topics by name.
FOLLOWS = [
    ("stakeholder", {"topic": "Data sharing"}),
    ("stakeholder", {"item": "auth"}),
    ("delivery", {"kind": "document"}),
    ("regulator", {"topic": "Asset registration"}),
]

# Strategic objectives (from the report's objectives for the Orchestrator) and their success metrics,
# each with measurements: (months ago, value, source).
OBJECTIVES = [
    {
        "title": "The right shared digital infrastructure exists, and is operated well",
        "summary": "The Orchestrator's primary objective: shared digital infrastructure that enables "
        "efficient and effective planning and operation of the overall energy system.",
        "body": "Ensure the 'right' shared digital infrastructure exists and is operated in a way that "
        "enables efficient and effective planning and operation of the overall energy system. Progress is "
        "shown by how many organisations share data through the Data Sharing Infrastructure and by how "
        "much of the sector's asset data is registered automatically.",
        "metrics": [
            {
                "title": "Organisations sharing data through the Data Sharing Infrastructure",
                "summary": "Organisations with at least one live data-sharing agreement under the DSI trust framework.",
                "unit": "organisations",
                "direction": "higher",
                "baseline": "3",
                "target": "120",
                "target_months": 24,
                "measurements": [
                    (12, "3", "DSI trust framework register"),
                    (9, "8", "DSI trust framework register"),
                    (6, "12", "DSI trust framework register"),
                    (3, "21", "DSI trust framework register"),
                    (1, "31", "DSI trust framework register"),
                ],
            },
            {
                "title": "Days to register a new low-carbon asset",
                "summary": "Median days from an asset's commissioning to its appearing in the asset register.",
                "unit": "days",
                "direction": "lower",
                "baseline": "90",
                "target": "2",
                "target_months": 30,
                "measurements": [
                    (10, "90", "Network operator asset data quality survey"),
                    (4, "61", "AAR alpha sample"),
                ],
            },
        ],
    },
    {
        "title": "The Orchestrator's work can be scrutinised",
        "summary": "Maximise opportunities for scrutiny of the Orchestrator's own work, decisions and activities.",
        "body": "Maximise opportunities for scrutiny of the Orchestrator's work, decisions and activities, "
        "so that it can be held to account on all matters relating to it: everything presumed open, "
        "withheld only with a published reason, and every change on a verifiable audit log.",
        "metrics": [
            {
                "title": "Share of published records that are open",
                "summary": "Published records in the Shared Knowledge Base triaged open, as a percentage.",
                "unit": "%",
                "direction": "higher",
                "baseline": "60",
                "target": "90",
                "target_months": 12,
                "measurements": [
                    (6, "64", "Shared Knowledge Base withheld register"),
                    (1, "71", "Shared Knowledge Base withheld register"),
                ],
            },
        ],
    },
]
