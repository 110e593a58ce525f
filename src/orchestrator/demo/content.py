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

# The portfolio: the report's worked examples as investments. Dates are days from today (negative:
# in the past). `designated_by` is a document key (the decision records land with decision making);
# `metrics` are success metric titles above.
INVESTMENTS = [
    {
        "key": "dsi",
        "title": "Data Sharing Infrastructure",
        "summary": "The trust framework, identity and discovery that let organisations across the "
        "energy system share data safely, without bilateral agreements for each exchange.",
        "purpose": "Let any organisation in the energy system find and share data with any other "
        "under one trust framework, as the digital spine feasibility study recommended.",
        "capabilities": "A trust framework with its rules and assurance; participant onboarding; "
        "identity and access for participants; a catalogue for discovering data; and the technical "
        "MVP developed with the National Digital Twin Programme.",
        "phase": "beta",
        "phases": {"discovery": -720, "alpha": -420, "beta": -120},
        "cost": ("10000000", "40000000", "low"),
        "technical": "https://example.org/dsi/technical",
        "designated_by": "interim",
        "objective": 0,
        "metrics": ["Organisations sharing data through the Data Sharing Infrastructure"],
        "features": [
            ("Trust framework, version 1", -200, -185),
            ("Participant onboarding", 60, None),
            ("Data discovery catalogue", 210, None),
        ],
    },
    {
        "key": "aar",
        "title": "Automatic Asset Registration",
        "summary": "Registering low-carbon assets — heat pumps, batteries, chargers — automatically, "
        "so networks and flexibility markets know what is connected where.",
        "purpose": "Replace manual, duplicated registration of low-carbon assets with one automatic "
        "register that network operators and flexibility markets can rely on.",
        "capabilities": "Capture of asset data at installation; an asset register with an API; "
        "data-quality checks; access for network operators and flexibility providers.",
        "phase": "alpha",
        "phases": {"discovery": -330, "alpha": -90},
        "cost": ("3000000", "12000000", "medium"),
        "technical": "https://example.org/aar/technical",
        "objective": 0,
        "metrics": ["Days to register a new low-carbon asset"],
        "features": [("Installer data capture", 120, None), ("Register API", 240, None)],
    },
    {
        "key": "auth",
        "title": "Authentication Service",
        "summary": "A common way of ensuring the identity of users and systems across shared digital "
        "infrastructure — an open-source pattern (scenario A) or an operated service (scenario B).",
        "purpose": "Standardise authentication across the component parts of shared digital "
        "infrastructure, so they interoperate and are resilient.",
        "capabilities": "An authentication pattern with reference code and documentation; "
        "certification of conforming implementations; in scenario B, an operated service.",
        "phase": "discovery",
        "phases": {"discovery": -75},
        "cost": ("1000000", "6000000", "low"),
        "objective": 0,
        "metrics": [],
        "features": [("Reference implementation", 150, None)],
    },
    {
        "key": "fdi",
        "title": "Flexibility Digital Infrastructure",
        "summary": "Data standards, API protocols, standardised products and contracts that let "
        "flexibility be bought and sold across markets.",
        "purpose": "Make flexibility markets work together: common data standards, communication "
        "protocols for APIs, standardised products and contracts, and stacking rules.",
        "capabilities": "Flexibility data standards; API protocols; a product and contract "
        "catalogue; stacking rules; likely an implementation of the Data Sharing Infrastructure.",
        "phase": "discovery",
        "phases": {"discovery": -200},
        "cost": ("5000000", "25000000", "low"),
        "metrics": [],
        "features": [("Flexibility data standards", 180, None)],
        "second_version": True,
    },
    {
        "key": "ves",
        "title": "Virtual Energy System",
        "summary": "An ecosystem of connected digital twins of the entire energy system of Great "
        "Britain, built on the Data Sharing Infrastructure.",
        "purpose": "Enable connected digital twins of the GB energy system, so that changes can be "
        "tested virtually before they are made.",
        "capabilities": "Common framework for digital twins; connection through the Data Sharing "
        "Infrastructure; demonstrators; governance of the ecosystem.",
        "phase": "alpha",
        "phases": {"discovery": -900, "alpha": -500},
        "cost": ("20000000", "80000000", "low"),
        "metrics": [],
        "features": [("Twin demonstrator", -100, -100)],
        "second_version": True,
    },
]

# Milestones: investment key, key, title, phase, planned, forecast, actual, depends on (keys).
MILESTONES = [
    ("dsi", "trust", "Trust framework version 1 published", "alpha", -200, None, -185, []),
    ("auth", "pattern", "Authentication pattern alpha available", "discovery", 20, 50, None, []),
    (
        "dsi",
        "onboard",
        "First ten participants onboarded",
        "beta",
        30,
        75,
        None,
        ["trust", "pattern"],
    ),
    ("dsi", "beta", "DSI public beta", "beta", 150, 190, None, ["onboard"]),
    ("aar", "register", "Asset register alpha", "alpha", -30, None, -35, ["trust"]),
    (
        "aar",
        "consult",
        "Register API consulted with flexibility providers",
        "alpha",
        40,
        40,
        None,
        ["register"],
    ),
    (
        "fdi",
        "standards",
        "Flexibility data standards discovery report",
        "discovery",
        90,
        None,
        None,
        ["register"],
    ),
    ("ves", "demo", "Digital twin demonstrator", "alpha", -100, None, -100, []),
    ("ves", "connect", "Connected twins beta", "alpha", 300, None, None, ["demo", "beta"]),
]

# The RAID log. Risks: key, investment, title, cause, event, effect, likelihood, impact, proximity,
# mitigation, residual (likelihood, impact), identified (days), review (days).
RISKS = [
    (
        "late-auth",
        "dsi",
        "Onboarding waits for the Authentication Service",
        "DSI onboarding needs participants to authenticate in a common way.",
        "The Authentication Service's pattern arrives after onboarding is due to start.",
        "The first participants cannot be onboarded on time, delaying the DSI beta.",
        4,
        4,
        "near",
        "Align the two roadmaps; agree an interim certificate-based scheme with the first participants.",
        (2, 3),
        -150,
        30,
    ),
    (
        "data-quality",
        "aar",
        "Asset data too poor to register automatically",
        "Installers record asset details inconsistently, and some not at all.",
        "Automatic registration rejects or mis-records many assets.",
        "Networks and flexibility markets cannot rely on the register, and keep their own.",
        3,
        4,
        "medium",
        "Validate at capture; publish data-quality measures per installer.",
        (2, 2),
        -80,
        -5,
    ),
    (
        "fdi-overlap",
        "fdi",
        "Flexibility standards diverge from the DSI",
        "Flexibility initiatives are run by several parties with split accountability.",
        "Flexibility Digital Infrastructure adopts standards the DSI does not support.",
        "Two incompatible infrastructures, and a costly later convergence.",
        3,
        3,
        "far",
        "The Architecture Team reviews flexibility standards against the DSI's.",
        None,
        -60,
        60,
    ),
]

# Issues: key, investment, title, occurred (days), severity, resolution, the risk that foresaw it.
ISSUES = [
    (
        "auth-slipped",
        "dsi",
        "Authentication pattern alpha slipped by a month",
        -10,
        3,
        "Interim certificate-based scheme agreed with the first participants, as the risk planned.",
        "late-auth",
    ),
    (
        "supplier-failed",
        "dsi",
        "A pilot data supplier entered administration",
        -40,
        4,
        "Its pilot data sets are being re-sourced from two other suppliers.",
        None,
    ),
]

ASSUMPTIONS = [
    (
        "aar",
        "Network operators will publish asset data under an open licence",
        "Ask each network operator to confirm in writing before the register's beta.",
        45,
    ),
]

# Dependencies: investment, title, external organisation (or None for internal), need by (days).
DEPENDENCIES = [
    ("dsi", "Ofgem's decision on the governance of the Data Sharing Infrastructure", "Ofgem", 90),
    ("aar", "The DSI trust framework, for sharing register data", None, -30),
]

# RACI: investment key (or None with a work area), activity, [(part, organisation or role)].
RACI = [
    (
        "dsi",
        "",
        "Design the trust framework",
        [
            ("R", "VirtualES Programme"),
            ("A", "Product Team"),
            ("C", "Architecture Team"),
            ("I", "Ofgem"),
        ],
    ),
    (
        "dsi",
        "",
        "Onboard participants",
        [
            ("R", "Gridlink Digital Ltd"),
            ("A", "Portfolio Management Team"),
            ("C", "Research & Engagement Team"),
            ("I", "Orchestrator Board"),
        ],
    ),
    (
        "aar",
        "",
        "Build the asset register",
        [("R", "Gridlink Digital Ltd"), ("A", "Product Team"), ("C", "Ofgem")],
    ),
    (
        "auth",
        "",
        "Maintain the open-source authentication pattern",
        [
            ("R", "Open Identity Cooperative"),
            ("A", "Architecture Team"),
            ("I", "Gridlink Digital Ltd"),
        ],
    ),
    (
        None,
        "Strategic planning",
        "Create and maintain the strategic plan",
        [
            ("R", "Portfolio Management Team"),
            ("A", "Orchestrator Leadership"),
            ("C", "Orchestrator Board"),
            ("I", "Research & Engagement Team"),
        ],
    ),
]
