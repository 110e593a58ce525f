"""The demo's records: content taken from the report that proposes the Digitalisation Orchestrator."""

from orchestrator.core.models import DocumentType, Mitigation, Sensitivity, Visibility

SOURCE = "Digitalisation Orchestrator report (the consortium's proposal), 2024"

# Declarations with interests; everyone else makes a nil return. (local part: (text, organisations))
INTERESTS = {
    # The Authentication Service decision concerns the Cooperative: Colin MacLeod withdraws from it.
    "advisor2": (
        "Unpaid trustee of the Open Identity Cooperative, which maintains an open-source "
        "authentication pattern (since 2022).",
        ["Open Identity Cooperative"],
    ),
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
# in the past). `metrics` are success metric titles above. The decision that designates the DSI
# shared digital infrastructure is in DECISIONS below: it is taken once the investment exists.
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

# Decisions: the report's worked examples, and others so that every stage of the process appears.
# Dates are days from today. Records are named as `document:<key>`, `investment:<key>`,
# `element:<key>` (the enterprise architecture's), `decision:<key>` (one taken earlier) or
# `record:<title>` (a plan record by its title); evidence may instead be a web address. People are
# named by their e-mail's local part. A decision goes as far as its spec does: evidence starts the
# gathering, `advice` asks for it, `consultation` opens one, `decide` takes it, `review` closes it;
# `defer` and `withdraw` leave it where it was. The first, `scope`, designates the DSI.
_WAIT = "Wait for the Authentication Service's pattern"
DECISIONS = [
    {
        "key": "scope",
        "title": "Is the Data Sharing Infrastructure shared digital infrastructure?",
        "type": "scope",
        "summary": "Whether the DSI's Prepare, Trust and Share capabilities become shared digital "
        "infrastructure, overseen by the Orchestrator and delivered by an operator.",
        "question": "Should the Data Sharing Infrastructure's Prepare, Trust and Share capabilities "
        "be designated shared digital infrastructure, overseen by the Orchestrator and developed "
        "and run by a Delivery Partner or 'operator'?",
        "context": "The Data Sharing Infrastructure (DSI) has been developed by a consortium led by "
        "National Grid ESO, with support of the National Digital Twin Programme, to support the "
        "Virtual Energy System programme, and is in its alpha phase. Once the Orchestrator is "
        "ready to take on projects, it would take on the oversight and coordination of the "
        "relevant parts of the DSI — Prepare, Trust, Share — from VirtualES, which continues as a "
        "Design Body, and subcontract Delivery Partners to develop and operate it. The Virtual "
        "Energy System, the Flexibility Digital Infrastructure and third-party implementations "
        "would all build on it.",
        "scheduled": -200,
        "options": [
            {
                "title": "Designate the DSI's Prepare, Trust and Share capabilities",
                "description": "The Orchestrator oversees the trust framework, identity and "
                "discovery services; a Delivery Partner or 'operator' develops and runs them; "
                "one-to-one exchange agreements are left to the market.",
                "benefits": "One trust framework for the whole sector, so organisations share "
                "data without a bilateral agreement for each exchange; the Virtual Energy System "
                "and the Flexibility Digital Infrastructure build on it rather than each building "
                "their own.",
                "costs": "£10m to £40m over the plan (low confidence), and the Orchestrator's "
                "oversight of an operator.",
                "risks": "A single point of failure for data sharing, so trust services must be "
                "highly available; the move from VirtualES must keep the alpha's participants.",
            },
            {
                "title": "Designate the trust framework only",
                "description": "The Orchestrator oversees the trust framework's rules and "
                "assurance; identity and discovery are left to the market.",
                "benefits": "Smaller, cheaper oversight; competition between identity and "
                "catalogue providers.",
                "costs": "Lower for the Orchestrator; higher for participants, who integrate with "
                "several providers.",
                "risks": "Identity schemes and catalogues that do not interoperate, bringing back "
                "the bilateral agreements the DSI is meant to replace.",
            },
            {
                "title": "Leave data sharing to the market",
                "description": "No designation: organisations keep agreeing exchanges one to "
                "one, and VirtualES continues the DSI as a programme of its own.",
                "benefits": "No new cost for the Orchestrator.",
                "costs": "An agreement for each exchange, repeated across hundreds of "
                "organisations.",
                "risks": "The digital spine the feasibility study recommended does not happen; "
                "each use case builds its own infrastructure.",
            },
        ],
        "affects": ["investment:dsi"],
        "concerns": ["VirtualES Programme"],
        "evidence": [
            (
                "product",
                "How the DSI would move under the Orchestrator's oversight (the report's worked "
                "example)",
                "document:dsi",
            ),
            (
                "portfolio",
                "The DSI investment: its purpose, capabilities and cost",
                "investment:dsi",
            ),
            (
                "research",
                "The alpha's growth: organisations sharing data through the DSI",
                "record:Organisations sharing data through the Data Sharing Infrastructure",
            ),
            (
                "research",
                "The trust framework pilot's participants (shared with registered users)",
                "document:participants",
            ),
            (
                "research",
                "Ofgem's consultation on the governance of the Data Sharing Infrastructure, July 2024",
                "https://example.org/ofgem/dsi-governance-consultation",
            ),
        ],
        "advice": {
            "comment": "Recommend one option, with your reasoning from the evidence.",
            "recommendations": [
                (
                    "advisor.chair",
                    "A",
                    "A trust framework is only useful if identity and discovery work the same "
                    "way for every participant: designate all three capabilities.",
                ),
                (
                    "advisor2",
                    "A",
                    "In transport, a shared trust framework without shared identity fragmented "
                    "within two years; designate them together.",
                ),
                (
                    "advisor3",
                    "A",
                    "Open finance shows the value of one directory of participants, overseen "
                    "independently of any of them.",
                ),
                (
                    "advisor4",
                    "B",
                    "Designate the trust framework now, and identity and discovery once the "
                    "alpha shows demand for them.",
                ),
            ],
            "consolidated": (
                "A",
                "Three of the four advisors who gave advice recommend option A; Oliver Grant "
                "recommended the trust framework alone until the alpha shows demand. We recommend "
                "A, with the trust services held to a high availability.",
            ),
        },
        "decide": {
            "option": "A",
            "on": -190,
            "rationale": "The advisors recommend it, and the evidence shows the alpha's "
            "participants growing under one trust framework. Identity and discovery that differ "
            "between providers would bring back the bilateral agreements the DSI replaces.",
            "consequences": "The DSI investment, and its trust, identity and catalogue services, "
            "are shared digital infrastructure; bilateral data exchange agreements are left to "
            "the market. The Portfolio Management Team plan the appointment of an operator.",
        },
        "opinions": [
            (
                "board.chair",
                "The Product Team followed the process: options with their costs and risks, the "
                "advisors' advice sought and followed, and a clear rationale. I support it.",
            ),
            (
                "board.member2",
                "I support the decision, and ask that the availability of the trust services be "
                "reported to the Board each quarter.",
            ),
        ],
        "review": {"outcome": "assured", "reasons": "", "on": -160},
    },
    {
        "key": "fdi",
        "title": "How does the Flexibility Digital Infrastructure build on the DSI?",
        "type": "design",
        "summary": "The design of flexibility's digital infrastructure, and how it relates to the "
        "Data Sharing Infrastructure.",
        "question": "Should the Flexibility Digital Infrastructure be an implementation of the Data "
        "Sharing Infrastructure, or an infrastructure with a trust framework of its own?",
        "context": "Ofgem proposes a common digital energy infrastructure for distributed "
        "flexibility: data standards, API protocols, standardised products and contracts, and "
        "stacking rules. It is likely an implementation of the Data Sharing Infrastructure, so how "
        "its governance, technologies and standards interlink with the DSI and the Orchestrator "
        "needs careful consideration.",
        "scheduled": 75,
        "by": "portfolio",
        "options": [
            {
                "title": "Build it on the DSI's trust framework",
                "benefits": "One trust framework for flexibility and all other data sharing.",
                "risks": "Flexibility's timetable depends on the DSI's.",
            },
            {
                "title": "A separate infrastructure with its own trust framework",
                "benefits": "Flexibility markets move at their own pace.",
                "risks": "Two incompatible infrastructures, and a costly later convergence.",
            },
        ],
        "affects": ["investment:fdi"],
    },
    {
        "key": "catalogue",
        "title": "Which standard describes the datasets in the DSI's catalogue?",
        "type": "design",
        "summary": "The metadata standard for the descriptions of datasets in the DSI catalogue.",
        "question": "Should the Data Sharing Infrastructure's catalogue describe datasets with "
        "DCAT, as the Shared Knowledge Base does, or with a schema of the energy sector's own?",
        "context": "Data users find datasets through the catalogue by subject, holder, licence and "
        "coverage. Ofgem's minimum metadata standard is Dublin Core, and the Shared Knowledge "
        "Base already publishes a DCAT catalogue.",
        "scheduled": 40,
        "by": "portfolio",
        "options": [
            {
                "title": "DCAT, with a profile for energy data",
                "benefits": "An open standard other sectors' catalogues already use.",
                "costs": "A profile to write and maintain.",
            },
            {
                "title": "A schema of the energy sector's own",
                "benefits": "Fits energy datasets exactly.",
                "risks": "Other sectors' tools cannot read it.",
            },
        ],
        "affects": ["element:catalogue", "element:metadata"],
        "evidence": [
            (
                "architect",
                "W3C's Data Catalog Vocabulary (DCAT), version 3",
                "https://www.w3.org/TR/vocab-dcat-3/",
            ),
            (
                "architect",
                "Requirement: the catalogue answers searches within 500 ms",
                "element:fast-catalogue",
            ),
        ],
    },
    {
        "key": "operator",
        "title": "Who operates the Data Sharing Infrastructure?",
        "type": "who_delivers",
        "summary": "Appointing the Delivery Partner, or 'operator', of the Data Sharing "
        "Infrastructure.",
        "question": "How should the Orchestrator appoint the operator who develops and runs the "
        "Data Sharing Infrastructure: by competition, by direct award to an existing operator, or "
        "as a consortium?",
        "context": "The DSI is shared digital infrastructure. The Orchestrator takes on its "
        "oversight from VirtualES and subcontracts a Delivery Partner, or 'operator', who is "
        "responsible for its development, security and interoperability.",
        "scheduled": 25,
        "options": [
            {
                "title": "Competitive appointment",
                "benefits": "Competition on price and quality.",
                "risks": "Four months of procurement before the operator starts.",
            },
            {
                "title": "Direct award to an existing operator",
                "benefits": "Fastest start.",
                "risks": "No competition; harder to show value for money.",
            },
            {
                "title": "A consortium of operators",
                "benefits": "Shares the work between the sector's operators.",
                "risks": "Split accountability.",
            },
        ],
        "affects": ["investment:dsi"],
        "evidence": [
            (
                "portfolio",
                "Options for appointing an operator (a draft, for staff)",
                "document:operator",
            ),
            (
                "product",
                "The decision that the DSI is shared digital infrastructure",
                "decision:scope",
            ),
        ],
        "advice": {
            "comment": "Recommend an approach to the appointment, and the terms it needs.",
            "recommendations": [
                (
                    "advisor3",
                    "A",
                    "A competition, with the knowledge obligations that let the Orchestrator "
                    "change operator later.",
                ),
            ],
        },
    },
    {
        "key": "ves",
        "title": "Is the Virtual Energy System's twin framework shared digital infrastructure?",
        "type": "scope",
        "summary": "Whether the common framework for connecting digital twins of the energy "
        "system is shared digital infrastructure.",
        "question": "Should the Virtual Energy System's common framework for connecting digital "
        "twins be designated shared digital infrastructure, or left to the market as a use case "
        "of the Data Sharing Infrastructure?",
        "context": "The Virtual Energy System is an ecosystem of connected digital twins of the "
        "energy system of Great Britain, built on the Data Sharing Infrastructure. The report "
        "sees it as one of the market's use cases of the DSI, with the Flexibility Digital "
        "Infrastructure and third-party implementations.",
        "scheduled": 12,
        "options": [
            {
                "title": "Leave it to the market, as a use case of the DSI",
                "benefits": "The Orchestrator's oversight stays on the DSI underneath.",
                "risks": "Twin frameworks could diverge between programmes.",
            },
            {
                "title": "Designate the twin framework",
                "benefits": "One framework for every digital twin.",
                "costs": "£20m to £80m brought into the Orchestrator's portfolio.",
            },
        ],
        "affects": ["investment:ves"],
        "evidence": [
            ("research", "Market users deliver their own use cases on the DSI", "document:dsi"),
            (
                "portfolio",
                "Milestone: the digital twin demonstrator",
                "record:Digital twin demonstrator",
            ),
        ],
        "advice": {
            "comment": "Recommend one option.",
            "recommendations": [
                (
                    "advisor.chair",
                    "A",
                    "A use case, not infrastructure: the DSI is what is shared.",
                ),
                ("advisor2", "A", "Designating the twins would crowd out the market's own."),
                ("advisor4", "A", "Keep the Orchestrator's scope to what every use case needs."),
            ],
            "consolidated": (
                "A",
                "The advisors agree: the twin framework is a use case of the DSI, left to the "
                "market.",
            ),
        },
    },
    {
        "key": "licence",
        "title": "Is all asset register data published under an open licence?",
        "type": "design",
        "summary": "The licence under which the automatic asset register's data is published.",
        "question": "Should every field of the automatic asset register be published under an "
        "open licence, or some shared only with network operators and flexibility providers?",
        "context": "The register is only useful if network operators and flexibility markets can "
        "rely on it. The plan assumes network operators will publish asset data under an open "
        "licence, an assumption tested before the register's beta.",
        "scheduled": 20,
        "options": [
            {"title": "An open licence for every field", "benefits": "Anyone can build on it."},
            {
                "title": "Open, with owners' details shared with named organisations only",
                "benefits": "Protects householders' personal data.",
            },
        ],
        "affects": ["investment:aar"],
        "evidence": [
            (
                "research",
                "Assumption: network operators will publish asset data under an open licence",
                "record:Network operators will publish asset data under an open licence",
            ),
        ],
        "defer": {
            "until": 110,
            "reason": "Deferred until the network operators have confirmed in writing whether "
            "they will publish asset data under an open licence: the assumption the plan tests "
            "before the register's beta.",
        },
    },
    {
        "key": "interim",
        "title": "Which interim governance option for the Data Sharing Infrastructure?",
        "type": "other",
        "summary": "Interim governance of the DSI until the Orchestrator takes on its oversight.",
        "question": "Which of the interim governance options should the Orchestrator propose for "
        "the Data Sharing Infrastructure until it takes on the DSI's oversight?",
        "context": "The Product Team set out interim options for governing the DSI before Ofgem "
        "consulted on it.",
        "scheduled": -60,
        "options": [
            {"title": "ESO as interim coordinator"},
            {"title": "VirtualES continues as interim coordinator"},
        ],
        "evidence": [
            ("product", "Interim governance options for the DSI (archived)", "document:interim"),
        ],
        "withdraw": "In July 2024 Ofgem consulted on the governance of the DSI, recommending that "
        "ESO take on the role of Interim Data Sharing Infrastructure Coordinator: the interim "
        "arrangement is Ofgem's to decide, not the Orchestrator's.",
    },
    {
        "key": "wait",
        "title": "How do the first DSI participants authenticate?",
        "type": "delivery_approach",
        "summary": "How the first participants onboarded to the DSI authenticate.",
        "question": "Should the first participants onboarded to the Data Sharing Infrastructure "
        "wait for the Authentication Service's pattern, or authenticate with each data provider's "
        "own scheme for now?",
        "context": "Onboarding of the first ten participants depends on a common way of "
        "authenticating them; the Authentication Service's pattern is due shortly before it.",
        "scheduled": -180,
        "options": [
            {
                "title": _WAIT,
                "benefits": "One way of authenticating from the start.",
                "risks": "Onboarding slips if the pattern does.",
            },
            {
                "title": "Each data provider's own scheme, for now",
                "benefits": "Onboarding starts whatever happens to the pattern.",
                "risks": "Schemes to unpick later.",
            },
        ],
        "affects": ["investment:dsi", "investment:auth"],
        "evidence": [
            ("architect", "The Authentication Service's two scenarios", "document:auth"),
            (
                "architect",
                "Requirement: participants authenticate once for all data sharing",
                "element:once",
            ),
        ],
        "advice": {
            "comment": "Recommend one option.",
            "recommendations": [
                ("advisor.chair", "A", "Providers' own schemes would have to be unpicked later."),
                ("advisor3", "A", "Authenticate once, from the start."),
            ],
            "consolidated": ("A", "Both advisors giving advice recommend waiting for the pattern."),
        },
        "decide": {
            "option": "A",
            "on": -175,
            "rationale": "Following the advisors: one way of authenticating from the start, "
            "rather than schemes to unpick later.",
        },
        "opinions": [
            (
                "board.chair",
                "A sound decision, but it leaves onboarding exposed if the pattern slips.",
            ),
        ],
        "review": {
            "outcome": "assured_with_comments",
            "reasons": "The Board asks the Product Team to agree a fallback with the first "
            "participants in case the Authentication Service's pattern slips.",
            "on": -150,
        },
    },
    {
        "key": "certificates",
        "title": "An interim certificate-based scheme for the first DSI participants",
        "type": "delivery_approach",
        "summary": "Onboarding the first participants with interim certificates, in place of "
        "waiting for the Authentication Service's pattern.",
        "question": "Now that the Authentication Service's pattern has slipped, should the first "
        "DSI participants be onboarded with an interim certificate-based scheme, or should "
        "onboarding wait?",
        "context": "The pattern's alpha slipped by a month, as the RAID log's risk foresaw. The "
        "Board, reviewing the earlier decision, asked for a fallback, and has since accepted an "
        "interim scheme for the first participants.",
        "scheduled": -12,
        "options": [
            {
                "title": "An interim certificate-based scheme, agreed with the first participants",
                "benefits": "Onboarding starts on time.",
                "costs": "Certificates to issue now and replace later.",
            },
            {
                "title": "Delay onboarding until the pattern is available",
                "risks": "The DSI's public beta slips with it.",
            },
        ],
        "affects": ["investment:dsi", "element:certificates", "element:directory"],
        "evidence": [
            (
                "portfolio",
                "Issue: the authentication pattern's alpha slipped by a month",
                "record:Authentication pattern alpha slipped by a month",
            ),
            (
                "portfolio",
                "Risk: onboarding waits for the Authentication Service",
                "record:Onboarding waits for the Authentication Service",
            ),
        ],
        "decide": {
            "option": "A",
            "on": -8,
            "supersedes": "wait",
            "rationale": "The Board asked for a fallback and accepts an interim scheme. "
            "Certificates issued from the trust framework directory let onboarding start on "
            "time, and give way to the Authentication Service once it is live. Advice was not "
            "sought: the decision is temporary, and could not wait for the advisors' next "
            "meeting.",
            "consequences": "Participants onboarded with interim certificates move to the "
            "Authentication Service within three months of its going live.",
        },
    },
    {
        "key": "auth",
        "title": "Authentication Service: open-source pattern (scenario A) or operated service "
        "(scenario B)?",
        "type": "delivery_approach",
        "summary": "How the common Authentication Service for shared digital infrastructure is "
        "delivered: a replicable pattern, or an operated service.",
        "question": "Should the Authentication Service be a replicable open-source pattern that "
        "organisations run themselves (scenario A), or a service that one organisation runs and "
        "operates for all shared digital infrastructure (scenario B)?",
        "context": "An authentication service, a way of ensuring the identity of a user in a "
        "digital system, is a common component in many systems. As shared digital infrastructure "
        "becomes more complex the need for authentication services is likely to increase, and "
        "the Orchestrator has identified the need to standardise authentication across its "
        "component parts, starting with the onboarding of the DSI's participants.",
        "scheduled": -28,
        "options": [
            {
                "title": "Scenario A: an open-source replicable pattern",
                "description": "A working prototype is developed, with its documentation, and "
                "made available as open source for the sector; a Delivery Partner maintains and "
                "updates the code so that organisations keep interoperable.",
                "benefits": "Cheap to adopt; no single operator to depend on; organisations keep "
                "control of their own systems.",
                "costs": "£1m to £2m to develop and maintain the pattern; each adopter runs its "
                "own implementation.",
                "risks": "Implementations drift apart and stop interoperating; security updates "
                "reach some implementations late, or never.",
            },
            {
                "title": "Scenario B: an operated service",
                "description": "One organisation runs and operates the Authentication Service, "
                "and the Orchestrator uses its influence and contracts to ensure all shared "
                "digital infrastructure that needs authentication uses it; a Delivery Partner "
                "operates it and integrates it with key systems.",
                "benefits": "For the resilience of the whole energy system: one service to "
                "secure, monitor and keep available, and participants authenticate once for all "
                "data sharing.",
                "costs": "£4m to £6m with five years' operation, and the Orchestrator's "
                "oversight of the operator.",
                "risks": "A concentration of risk that must meet the 99.9% availability "
                "constraint; lock-in to one operator.",
            },
        ],
        "affects": [
            "investment:auth",
            "element:identity",
            "element:authenticate",
            "element:once",
        ],
        "concerns": ["Open Identity Cooperative"],
        "evidence": [
            (
                "architect",
                "The two scenarios for delivery (the report's worked example)",
                "document:auth",
            ),
            (
                "architect",
                "Threat model of a sector-wide authentication service (closed: critical "
                "national infrastructure)",
                "document:threat",
            ),
            ("architect", "Constraint: authentication answers within 300 ms", "element:latency"),
            (
                "research",
                "Authentication schemes in use across the DSI pilot's participants",
                "https://example.org/dsi/authentication-survey",
            ),
        ],
        "advice": {
            "comment": "Recommend scenario A or B, and say how it meets the availability "
            "constraint for trust services.",
            "recommendations": [
                (
                    "advisor.chair",
                    "A",
                    "An open pattern lets each infrastructure authenticate without depending on "
                    "one operator; certification keeps implementations interoperable.",
                ),
                (
                    "advisor3",
                    "A",
                    "Open finance reached interoperability with a common standard and "
                    "certification, not with a single operator.",
                ),
                (
                    "advisor4",
                    "B",
                    "Health's shared identity service shows that an operated service is what "
                    "keeps security updates consistent.",
                ),
                (
                    "advisor5",
                    "A",
                    "The pattern costs less, and can still be operated later if adoption falters.",
                ),
            ],
            "consolidated": (
                "A",
                "Three of the four advisors giving advice recommend scenario A, an open-source "
                "pattern with certification of conforming implementations; Oliver Grant "
                "recommended scenario B. Colin MacLeod declared an interest in the Open "
                "Identity Cooperative, which maintains the pattern, and did not advise.",
            ),
        },
        "decide": {
            "option": "B",
            "on": -12,
            "rationale": "Authentication sits in the path of every exchange of data: one "
            "operated service, held to the enterprise architecture's availability and latency "
            "constraints, is what the DSI's onboarding and every later infrastructure need.",
            "departure": "The advisors recommended scenario A. We depart from it for the "
            "resilience of the whole energy system: the threat model shows that implementations "
            "of a pattern which drift apart, or are patched late, put every service relying on "
            "them at risk, and scenario B is the report's answer to exactly that, an "
            "organisation responsible for running and operating the Authentication Service, "
            "with the Orchestrator's contracts ensuring all shared digital infrastructure that "
            "needs one uses it. We keep the advisors' point on lock-in: the service is built on "
            "the pattern's open standards, so it can be procured again.",
            "consequences": "The Portfolio Management Team procure a Delivery Partner to operate "
            "the Authentication Service and integrate it with key systems; the open-source "
            "pattern stays published as the service's reference.",
        },
        "opinions": [
            (
                "board.member2",
                "The departure from the advisors' recommendation is explained, and rests on the "
                "evidence. I would like the Board to hear from the advisors before its review.",
            ),
        ],
    },
    {
        "key": "aar",
        "title": "Who delivers Automatic Asset Registration?",
        "type": "who_delivers",
        "summary": "Choosing who builds and runs the automatic register of low-carbon assets.",
        "question": "Who should build and run the Automatic Asset Registration service once its "
        "Solution Architecture is agreed: the Delivery Partner that built the alpha, a Delivery "
        "Partner chosen by competitive tender, or the network operators together?",
        "context": "Research & Engagement found that only around 40% of low-carbon assets are "
        "visible to energy network companies. Once a high-level architecture approach is agreed, "
        "the Portfolio Management Team issue a contract or tender, with support from Legal; a "
        "Design Body develops the Solution Architecture and stage-gates the work of a Delivery "
        "Partner, who runs the service to the terms of its contract.",
        "scheduled": 35,
        "options": [
            {
                "title": "Extend Gridlink Digital Ltd's alpha contract",
                "description": "A direct award to the Delivery Partner that built the register's "
                "alpha, to build and run the live service.",
                "benefits": "The fastest start: the team and the alpha's data carry over.",
                "costs": "£3m to £5m, and no tender to run.",
                "risks": "No competition on price or approach; the Orchestrator depends on one "
                "supplier from the start.",
            },
            {
                "title": "A competitive tender for a Delivery Partner",
                "description": "The Portfolio Management Team tender the build and operation, "
                "with Legal; the Design Body stage-gates the Delivery Partner's work.",
                "benefits": "Competition on price and quality; terms that say how long the "
                "partner runs the service and how its costs are recovered.",
                "costs": "£4m to £8m, and about four months of procurement.",
                "risks": "The live service starts later; the alpha's knowledge must be handed "
                "over.",
            },
            {
                "title": "The network operators deliver it together",
                "description": "The network operators build the register through an industry "
                "project, as the Open Networks Project does for flexibility.",
                "benefits": "The operators who need the data own the service.",
                "costs": "Shared between the operators, and hard to estimate.",
                "risks": "Membership projects deliver slowly, with accountability split across "
                "several parties.",
            },
        ],
        "affects": ["investment:aar", "element:registration", "element:register"],
        "concerns": ["Gridlink Digital Ltd"],
        "evidence": [
            (
                "research",
                "Origin of the requirement: around 40% of low-carbon assets are visible",
                "document:aar",
            ),
            ("research", "The network operators' asset data quality survey", "document:survey"),
            (
                "portfolio",
                "Evaluation of the AAR Design Body tender (shared with Ofgem and the Design Body)",
                "document:tender",
            ),
            ("portfolio", "Milestone: the asset register's alpha", "record:Asset register alpha"),
            (
                "research",
                "Ofgem's consultation on Flexibility Market Asset Registration, July 2024",
                "https://example.org/ofgem/flexibility-market-asset-registration",
            ),
        ],
        "advice": {
            "comment": "Recommend who should deliver the live service, and on what terms.",
            "recommendations": [
                (
                    "advisor.chair",
                    "B",
                    "A tender, with knowledge obligations that hand the alpha's work over.",
                ),
                ("advisor2", "B", "Competition now avoids a dependency that is costly later."),
                ("advisor3", "B", "A tender, stage-gated by the Design Body."),
                ("advisor4", "A", "Continuity matters more than competition this early."),
            ],
            "consolidated": (
                "B",
                "Three of the four advisors giving advice recommend a competitive tender; Oliver "
                "Grant recommended extending the alpha's contract. Fatima Rahman declared an "
                "interest in Gridlink Digital Ltd and did not advise.",
            ),
        },
        "consultation": {
            "opened": -4,
            "closes": 21,
            "responses": [
                (
                    "stakeholder",
                    "I'm Jo Stakeholder, a heat pump installer in Leeds (07700 900123). A tender "
                    "is right, but whoever runs the register must take data from installers' "
                    "existing apps: we will not key every asset in twice.",
                    {
                        "published_text": "[Name and contact details removed], a heat pump "
                        "installer. A tender is right, but whoever runs the register must take "
                        "data from installers' existing apps: we will not key every asset in "
                        "twice.",
                    },
                ),
                (
                    "regulator",
                    "Ofgem would expect any contract to say how the register's costs are "
                    "recovered, and for how long the Delivery Partner is liable to run it.",
                    None,  # still waiting for Research & Engagement to triage it
                ),
            ],
        },
    },
]
