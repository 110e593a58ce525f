"""The open-data catalogue of the hub as a DCAT 3 graph (rdflib), conforming to DCAT-AP 3.0.1.

The catalogue is public, so it describes only what anonymous visitors may see: its counts and
dates come from `Item.objects.visible_to(None)`, and it names no record at all — only the
datasets (all records, one per kind that has open records, the audit log), their distributions
(JSON Lines, CSV, the API) and the API as a data service. Every IRI is absolute, from
`settings.SITE_URL`.

Without RDFS inference a DCAT-AP validator checks the class of every object, so each licence,
format, media type, language and page is typed explicitly (`dct:LicenseDocument`,
`dct:MediaTypeOrExtent`, `dct:MediaType`, `dct:LinguisticSystem`, `foaf:Document`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max, Min
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from .models import AuditEvent, Item, kind_registry

# The licence of open records, as the IRI by which registries know it.
OGL_IRI = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
OGL_LABEL = "Open Government Licence v3.0"

FILE_TYPE = Namespace("http://publications.europa.eu/resource/authority/file-type/")
FREQUENCY = Namespace("http://publications.europa.eu/resource/authority/frequency/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
THEME = Namespace("http://publications.europa.eu/resource/authority/data-theme/")
THEMES = URIRef("http://publications.europa.eu/resource/authority/data-theme")
AVAILABILITY = Namespace("http://publications.europa.eu/resource/authority/planned-availability/")
DCATAP = Namespace("http://data.europa.eu/r5r/")
IANA = Namespace("https://www.iana.org/assignments/media-types/")
JSON_LINES = URIRef("https://jsonlines.org/")
RFC_4180 = URIRef("https://www.rfc-editor.org/rfc/rfc4180")
OPENAPI_3_1 = URIRef("https://spec.openapis.org/oas/v3.1.0")
GSP = Namespace("http://www.opengis.net/ont/geosparql#")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
LICENCE_TYPE = Namespace("http://purl.org/adms/licencetype/")
# Great Britain, roughly: its bounding box and a point near its middle (WGS 84, longitude first).
GB_BBOX = "POLYGON((-8.65 49.86, 1.77 49.86, 1.77 60.86, -8.65 60.86, -8.65 49.86))"
GB_CENTROID = "POINT(-2.0 54.0)"

KEYWORDS = ("energy", "digitalisation", "shared digital infrastructure")

CONTEXT = {
    "dcat": str(DCAT),
    "dct": str(DCTERMS),
    "dcatap": str(DCATAP),
    "foaf": str(FOAF),
    "rdfs": str(RDFS),
    "skos": str(SKOS),
    "gsp": str(GSP),
    "vcard": str(VCARD),
    "xsd": str(XSD),
}


@dataclass(frozen=True)
class Format:
    """How a distribution is serialised: the EU file type, and the IANA media type if it has one."""

    label: str
    file_type: URIRef
    media_type: URIRef | None
    conforms_to: URIRef | None = None


# JSON Lines has no registered IANA media type (it is served as application/x-ndjson), so its
# distribution names the EU file type JSON and conforms to the JSON Lines description instead.
JSONL = Format("JSON Lines", FILE_TYPE.JSON, None, JSON_LINES)
CSV = Format("CSV", FILE_TYPE.CSV, IANA["text/csv"], RFC_4180)
JSON = Format("JSON", FILE_TYPE.JSON, IANA["application/json"])


@dataclass(frozen=True)
class KindSummary:
    kind: str
    label: str
    plural: str
    count: int
    modified: dt.datetime | None
    issued: dt.datetime | None


def open_summary() -> tuple[KindSummary, list[KindSummary]]:
    """What anonymous visitors may see: all records together, and each kind with open records."""
    kinds = kind_registry()
    rows = (
        Item.objects.visible_to(None)
        .order_by()
        .values("kind")
        .annotate(n=Count("pk"), modified=Max("updated_at"), issued=Min("published_at"))
        .order_by("kind")
    )
    per_kind = []
    for row in rows:
        model = kinds.get(row["kind"])
        label = model.KIND_LABEL if model else row["kind"]
        plural = model.KIND_PLURAL if model else row["kind"]
        per_kind.append(
            KindSummary(row["kind"], label, plural, row["n"], row["modified"], row["issued"])
        )
    total = KindSummary(
        "",
        "Record",
        "Records",
        sum(k.count for k in per_kind),
        max((k.modified for k in per_kind if k.modified), default=None),
        min((k.issued for k in per_kind if k.issued), default=None),
    )
    return total, per_kind


class _Builder:
    def __init__(self) -> None:
        self.base = settings.SITE_URL.rstrip("/")
        self.g = Graph()
        for prefix, ns in CONTEXT.items():
            self.g.bind(prefix, ns)
        self.g.bind("dct", DCTERMS, replace=True)
        self.publisher = self.iri("/#publisher")
        self.licence = URIRef(OGL_IRI)
        self.api = self.iri("/data/#api")
        self.contact = self.iri("/#contact")
        self.place = self.iri("/#great-britain")

    def iri(self, path: str) -> URIRef:
        return URIRef(self.base + path)

    def add(self, s, p, o) -> None:
        self.g.add((s, p, o))

    def text(self, s, p, value: str) -> None:
        self.add(s, p, Literal(value, lang="en-GB"))

    def document(self, s, p, path_or_iri: str) -> None:
        """A link to a web page, typed as foaf:Document."""
        page = URIRef(path_or_iri) if "://" in path_or_iri else self.iri(path_or_iri)
        self.add(s, p, page)
        self.add(page, RDF.type, FOAF.Document)

    def when(self, s, p, value: dt.datetime | None) -> None:
        if value is not None:
            stamp = value.astimezone(dt.UTC).replace(microsecond=0)
            self.add(s, p, Literal(stamp.isoformat().replace("+00:00", "Z"), datatype=XSD.dateTime))

    def common(self, s) -> None:
        self.add(s, DCTERMS.publisher, self.publisher)
        self.add(s, DCTERMS.language, LANGUAGE.ENG)
        self.add(s, DCTERMS.spatial, self.place)

    def described(self, s) -> None:
        """What every dataset and the service have: a theme, keywords, a contact point."""
        self.add(s, DCAT.theme, THEME.ENER)
        self.add(s, DCAT.contactPoint, self.contact)
        for word in KEYWORDS:
            self.add(s, DCAT.keyword, Literal(word, lang="en-GB"))

    def distribution(
        self,
        s: URIRef,
        *,
        title: str,
        description: str,
        fmt: Format,
        access: str,
        download: str | None,
        modified: dt.datetime | None,
        service: URIRef | None = None,
    ) -> URIRef:
        self.add(s, RDF.type, DCAT.Distribution)
        self.text(s, DCTERMS.title, title)
        self.text(s, DCTERMS.description, description)
        self.add(s, DCAT.accessURL, self.iri(access))
        if download is not None:
            self.add(s, DCAT.downloadURL, self.iri(download))
        self.add(s, DCTERMS.format, fmt.file_type)
        self.add(fmt.file_type, RDF.type, DCTERMS.MediaTypeOrExtent)
        if fmt.media_type is not None:
            self.add(s, DCAT.mediaType, fmt.media_type)
            self.add(fmt.media_type, RDF.type, DCTERMS.MediaType)
        if fmt.conforms_to is not None:
            self.add(s, DCTERMS.conformsTo, fmt.conforms_to)
            self.add(fmt.conforms_to, RDF.type, DCTERMS.Standard)
        if service is not None:
            self.add(s, DCAT.accessService, service)
        self.add(s, DCTERMS.license, self.licence)
        self.add(s, DCTERMS.language, LANGUAGE.ENG)
        self.add(s, DCATAP.availability, AVAILABILITY.STABLE)
        self.when(s, DCTERMS.modified, modified)
        return s


def catalogue() -> Graph:
    """The whole catalogue, as anonymous visitors may see it."""
    b = _Builder()
    total, per_kind = open_summary()
    first_event = AuditEvent.objects.order_by("seq").values_list("at", flat=True).first()
    last_event = AuditEvent.objects.order_by("-seq").values_list("at", flat=True).first()

    # The publisher: the Orchestrator itself.
    b.add(b.publisher, RDF.type, FOAF.Agent)
    b.add(b.publisher, RDF.type, FOAF.Organization)
    b.add(b.publisher, FOAF.name, Literal(settings.PUBLISHER_NAME, lang="en-GB"))
    b.document(b.publisher, FOAF.homepage, "/")
    b.add(b.publisher, DCTERMS.type, PUBLISHER_TYPE.NationalAuthority)
    b.add(PUBLISHER_TYPE.NationalAuthority, RDF.type, SKOS.Concept)
    b.add(
        PUBLISHER_TYPE.NationalAuthority, SKOS.prefLabel, Literal("National authority", lang="en")
    )

    # Where to ask: the Orchestrator's own pages (it publishes no e-mail address here).
    b.add(b.contact, RDF.type, VCARD.Kind)
    b.add(b.contact, RDF.type, VCARD.Organization)
    b.add(b.contact, VCARD.fn, Literal(settings.PUBLISHER_NAME, lang="en-GB"))
    b.add(b.contact, VCARD.hasURL, b.iri("/"))

    # The GB energy system: what the records are about.
    b.add(b.place, RDF.type, DCTERMS.Location)
    b.add(b.place, SKOS.prefLabel, Literal("Great Britain", lang="en-GB"))
    b.add(b.place, DCAT.bbox, Literal(GB_BBOX, datatype=GSP.wktLiteral))
    b.add(b.place, DCAT.centroid, Literal(GB_CENTROID, datatype=GSP.wktLiteral))

    b.add(THEME.ENER, RDF.type, SKOS.Concept)
    b.add(THEME.ENER, SKOS.prefLabel, Literal("Energy", lang="en"))
    b.add(THEME.ENER, SKOS.inScheme, THEMES)
    b.add(THEMES, RDF.type, SKOS.ConceptScheme)
    b.add(THEMES, DCTERMS.title, Literal("Data theme", lang="en"))
    b.add(AVAILABILITY.STABLE, RDF.type, SKOS.Concept)
    b.add(AVAILABILITY.STABLE, SKOS.prefLabel, Literal("stable", lang="en"))
    b.add(b.licence, RDF.type, DCTERMS.LicenseDocument)
    b.add(b.licence, RDFS.label, Literal(OGL_LABEL, lang="en"))
    b.add(b.licence, DCTERMS.type, LICENCE_TYPE.Attribution)
    b.add(LICENCE_TYPE.Attribution, RDF.type, SKOS.Concept)
    b.add(LICENCE_TYPE.Attribution, SKOS.prefLabel, Literal("Attribution", lang="en"))
    b.add(LANGUAGE.ENG, RDF.type, DCTERMS.LinguisticSystem)
    b.add(FREQUENCY.CONT, RDF.type, DCTERMS.Frequency)

    catalog = b.iri("/data/#catalogue")
    b.add(catalog, RDF.type, DCAT.Catalog)
    b.text(catalog, DCTERMS.title, "Shared Knowledge Base of the Digitalisation Orchestrator")
    b.text(
        catalog,
        DCTERMS.description,
        "The open data of the Shared Knowledge Base: what the energy sector's Digitalisation "
        "Orchestrator is planning, designing, deciding, contracting and delivering for the shared "
        "digital infrastructure of the GB energy system — by whom, and why. Everything is presumed "
        "open; records that did not pass open-data triage are listed, with the reason, in the "
        "withheld register, and are not part of these datasets.",
    )
    b.common(catalog)
    b.add(catalog, DCTERMS.license, b.licence)
    b.document(catalog, FOAF.homepage, "/")
    b.when(catalog, DCTERMS.issued, first_event)
    b.when(catalog, DCTERMS.modified, max(filter(None, [total.modified, last_event]), default=None))
    b.add(catalog, DCAT.service, b.api)
    b.add(catalog, DCAT.themeTaxonomy, THEMES)

    # The API, through which every dataset can also be read.
    b.add(b.api, RDF.type, DCAT.DataService)
    b.text(b.api, DCTERMS.title, "Orchestrator API")
    b.text(
        b.api,
        DCTERMS.description,
        "The Shared Knowledge Base as JSON (django-ninja, OpenAPI 3). Anonymous callers read open "
        "records; a personal API token (Authorization: Bearer <token>) reads what its holder may see.",
    )
    b.add(b.api, DCAT.endpointURL, b.iri("/api/v1/"))
    b.add(b.api, DCAT.endpointDescription, b.iri("/api/v1/openapi.json"))
    # DCAT-AP's range for both is rdfs:Resource; without inference it has to be said.
    b.add(b.iri("/api/v1/"), RDF.type, RDFS.Resource)
    b.add(b.iri("/api/v1/openapi.json"), RDF.type, RDFS.Resource)
    b.described(b.api)
    b.document(b.api, DCAT.landingPage, "/api/v1/docs")
    b.add(b.api, DCTERMS.conformsTo, OPENAPI_3_1)
    b.add(OPENAPI_3_1, RDF.type, DCTERMS.Standard)
    b.add(b.api, DCTERMS.license, b.licence)
    b.add(b.api, DCTERMS.publisher, b.publisher)

    def records_dataset(s: URIRef, summary: KindSummary, slug: str, query: str) -> None:
        what = "records" if not summary.kind else summary.plural.lower()
        b.add(catalog, DCAT.dataset, s)
        b.add(b.api, DCAT.servesDataset, s)
        b.add(s, RDF.type, DCAT.Dataset)
        if summary.kind:
            b.text(s, DCTERMS.title, f"{summary.plural} in the Shared Knowledge Base")
            b.add(s, DCTERMS.identifier, Literal(f"{b.base}/data/#{slug}"))
        else:
            b.text(s, DCTERMS.title, "Records of the Shared Knowledge Base")
            b.add(s, DCTERMS.identifier, Literal(f"{b.base}/data/#records"))
        b.text(
            s,
            DCTERMS.description,
            f"The open {what} of the Shared Knowledge Base ({summary.count:,} now), each with "
            "its kind, title, summary, visibility, status, owner, "
            "dates and the fifteen Dublin Core elements, under the Open Government Licence v3.0. "
            "Registered users read more through the API, or with their API token in the bulk "
            "downloads.",
        )
        b.common(s)
        b.document(s, DCAT.landingPage, "/data/")
        b.add(s, DCTERMS.accrualPeriodicity, FREQUENCY.CONT)
        b.described(s)
        if summary.kind:
            b.add(s, DCAT.keyword, Literal(summary.plural.lower(), lang="en-GB"))
        b.when(s, DCTERMS.modified, summary.modified)
        b.when(s, DCTERMS.issued, summary.issued)
        if summary.issued is not None:
            period = b.iri(f"/data/#{slug}-period")
            b.add(s, DCTERMS.temporal, period)
            b.add(period, RDF.type, DCTERMS.PeriodOfTime)
            b.when(period, DCAT.startDate, summary.issued)
            b.when(period, DCAT.endDate, summary.modified)
        label = summary.plural if summary.kind else "Records"
        distributions = [
            b.distribution(
                b.iri(f"/data/#{slug}-jsonl"),
                title=f"{label} as JSON Lines",
                description="One JSON object a line, UTF-8, streamed; an empty file when there "
                "is nothing to list.",
                fmt=JSONL,
                access=f"/data/items.jsonl{query}",
                download=f"/data/items.jsonl{query}",
                modified=summary.modified,
            ),
            b.distribution(
                b.iri(f"/data/#{slug}-csv"),
                title=f"{label} as CSV",
                description="RFC 4180 CSV, UTF-8, with a header row; several values in a cell "
                "are separated by '; ', and a cell that would start a spreadsheet formula begins "
                "with an apostrophe.",
                fmt=CSV,
                access=f"/data/items.csv{query}",
                download=f"/data/items.csv{query}",
                modified=summary.modified,
            ),
            b.distribution(
                b.iri(f"/data/#{slug}-api"),
                title=f"{label} through the API",
                description="Pages of records as JSON from GET /api/v1/items, and each record "
                "from GET /api/v1/items/{uid}.",
                fmt=JSON,
                access=f"/api/v1/items{query}",
                download=None,
                modified=summary.modified,
                service=b.api,
            ),
        ]
        for d in distributions:
            b.add(s, DCAT.distribution, d)

    records_dataset(b.iri("/data/#records"), total, "records", "")
    for summary in per_kind:
        records_dataset(
            b.iri(f"/data/#kind-{summary.kind}"),
            summary,
            f"kind-{summary.kind}",
            f"?kind={summary.kind}",
        )

    # The audit log: every event, with a withheld placeholder for hidden records.
    audit = b.iri("/data/#audit-log")
    b.add(catalog, DCAT.dataset, audit)
    b.add(audit, RDF.type, DCAT.Dataset)
    b.text(audit, DCTERMS.title, "Audit log of the Shared Knowledge Base")
    b.text(
        audit,
        DCTERMS.description,
        "Every change to the knowledge base as a hash-chained event log, oldest first. Events of "
        "records that are not open are withheld placeholders (sequence number, time and hashes "
        "only), so anyone can verify the whole chain.",
    )
    b.add(audit, DCTERMS.identifier, Literal(f"{b.base}/data/#audit-log"))
    b.common(audit)
    b.document(audit, DCAT.landingPage, "/audit")
    b.add(audit, DCTERMS.accrualPeriodicity, FREQUENCY.CONT)
    b.described(audit)
    b.add(audit, DCAT.keyword, Literal("audit", lang="en-GB"))
    b.when(audit, DCTERMS.modified, last_event)
    if first_event is not None:
        period = b.iri("/data/#audit-log-period")
        b.add(audit, DCTERMS.temporal, period)
        b.add(period, RDF.type, DCTERMS.PeriodOfTime)
        b.when(period, DCAT.startDate, first_event)
        b.when(period, DCAT.endDate, last_event)
    b.add(
        audit,
        DCAT.distribution,
        b.distribution(
            b.iri("/data/#audit-log-jsonl"),
            title="Audit log as JSON Lines",
            description="One event a line, oldest first; docs/audit.md says how to verify it.",
            fmt=JSONL,
            access="/audit.jsonl",
            download="/audit.jsonl",
            modified=last_event,
        ),
    )
    return b.g


def turtle() -> str:
    return catalogue().serialize(format="turtle")


def jsonld() -> str:
    return catalogue().serialize(format="json-ld", context=CONTEXT, auto_compact=True)
