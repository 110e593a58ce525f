"""The DCAT catalogue at /data/catalog.ttl and /data/catalog.jsonld."""

from __future__ import annotations

from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from orchestrator.core import dcat

from ..factories import published
from .conftest import body, get, token_for

# The official DCAT-AP 3.0.1 shapes, read from the shared conformance data beside the checkout
# (../shared/conformance/, as CI has it), never copied into the project.
SHARED = Path(__file__).resolve().parents[3] / "shared/conformance/dcat/shacl/dcat-ap-3.0.1"
SHAPE_SETS = {
    # The full release: every class's shape and its ranges.
    "dcat-ap-3.0.1": ["dcat-ap-SHACL.ttl", "ranges.ttl"],
    # The HTML release's mandatory shapes and ranges, and the recommended properties.
    "html-core": ["html-shacl/shapes.ttl", "html-shacl/range.ttl"],
    "html-recommended": ["html-shacl/shapes_recommended.ttl"],
}
OGL = URIRef(dcat.OGL_IRI)


def _shapes(names: list[str]) -> Graph:
    if not SHARED.is_dir():
        pytest.skip(f"the DCAT-AP shapes are not beside this checkout, at {SHARED}")
    graph = Graph()
    for name in names:
        graph.parse(SHARED / name, format="turtle")
    # The published files refer to property shapes that neither defines (the conformance data's
    # README: two on the DataService shape); pyshacl stops on such a reference, so drop them.
    dangling = [
        (s, p, o)
        for s, p, o in graph.triples((None, ns.SH.property, None))
        if (o, ns.SH.path, None) not in graph
    ]
    for triple in dangling:
        graph.remove(triple)
    return graph


def _catalogue(fmt: str = "ttl") -> Graph:
    response = get(f"/data/catalog.{fmt}")
    assert response.status_code == 200
    return Graph().parse(
        data=body(response).decode(), format="turtle" if fmt == "ttl" else "json-ld"
    )


@pytest.mark.parametrize("shape_set", sorted(SHAPE_SETS))
def test_the_catalogue_conforms_to_dcat_ap_3_0_1(world, site_url, shape_set):
    conforms, _, report = validate(
        _catalogue(), shacl_graph=_shapes(SHAPE_SETS[shape_set]), inference="none"
    )
    assert conforms, report


def test_an_empty_knowledge_base_still_has_a_conforming_catalogue(db):
    for name, names in SHAPE_SETS.items():
        conforms, results, report = validate(
            _catalogue(), shacl_graph=_shapes(names), inference="none"
        )
        if name == "html-recommended":
            # With nothing yet published there are no dates to give: warnings, not violations.
            assert (None, ns.SH.resultSeverity, ns.SH.Violation) not in results, report
        else:
            assert conforms, report


@pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")
def test_the_json_ld_is_the_same_graph_as_the_turtle(world):
    assert isomorphic(_catalogue("ttl"), _catalogue("jsonld"))
    assert get("/data/catalog.jsonld")["Content-Type"] == "application/ld+json; charset=utf-8"
    assert get("/data/catalog.ttl")["Content-Type"] == "text/turtle; charset=utf-8"


def test_the_catalogue_names_no_record_and_counts_only_open_ones(world):
    staff, triager = world.people["staff"], world.people["triager"]
    published(author=staff, owner=world.team, by=triager, title="A second open record")
    for fmt in ("ttl", "jsonld"):
        text = body(get(f"/data/catalog.{fmt}")).decode()
        for name, item in world.records.items():
            assert item.uid not in text
            if name != "open":  # whose title, "The open record", the prose happens to contain
                assert item.title not in text
    g = _catalogue()
    records = URIRef("http://127.0.0.1:8000/data/#records")
    (description,) = g.objects(records, ns.DCTERMS.description)
    assert "(2 now)" in str(description)


def test_the_catalogue_is_the_same_for_everyone(world):
    # The token is made first: making it is an audit event, which would change the audit log's
    # dcterms:modified between the two requests if it fell across a second.
    staff = {"HTTP_AUTHORIZATION": f"Bearer {token_for(world.people['staff'])}"}
    anonymous = body(get("/data/catalog.ttl"))
    assert body(get("/data/catalog.ttl", **staff)) == anonymous


def test_the_catalogue_describes_the_hub_its_datasets_and_the_api(world, site_url):
    g = _catalogue()
    base = "https://skb.example.org"
    (catalog,) = g.subjects(ns.RDF.type, ns.DCAT.Catalog)
    assert str(catalog).startswith(base)
    assert g.value(catalog, ns.DCTERMS.title)
    assert g.value(catalog, ns.DCTERMS.description)
    assert g.value(catalog, ns.DCTERMS.license) == OGL
    assert g.value(catalog, ns.FOAF.homepage) == URIRef(f"{base}/")
    publisher = g.value(catalog, ns.DCTERMS.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Agent) in g
    assert g.value(publisher, ns.FOAF.name) == Literal("Digitalisation Orchestrator", lang="en-GB")

    datasets = set(g.objects(catalog, ns.DCAT.dataset))
    assert {
        URIRef(f"{base}/data/#{name}") for name in ("records", "kind-document", "audit-log")
    } == datasets
    for dataset in datasets:
        assert (dataset, ns.RDF.type, ns.DCAT.Dataset) in g
        assert g.value(dataset, ns.DCTERMS.title) and g.value(dataset, ns.DCTERMS.description)
        for distribution in g.objects(dataset, ns.DCAT.distribution):
            assert g.value(distribution, ns.DCTERMS.license) == OGL
            assert str(g.value(distribution, ns.DCAT.accessURL)).startswith(base)
            assert g.value(distribution, ns.DCTERMS.format) is not None

    def distributions(dataset: str) -> dict[str, URIRef]:
        return {
            str(g.value(d, ns.DCAT.accessURL)).removeprefix(base): d
            for d in g.objects(URIRef(f"{base}/data/#{dataset}"), ns.DCAT.distribution)
        }

    records = distributions("records")
    assert set(records) == {"/data/items.jsonl", "/data/items.csv", "/api/v1/items"}
    assert g.value(records["/data/items.csv"], ns.DCAT.downloadURL) == URIRef(
        f"{base}/data/items.csv"
    )
    assert g.value(records["/data/items.csv"], ns.DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )
    assert set(distributions("kind-document")) == {
        "/data/items.jsonl?kind=document",
        "/data/items.csv?kind=document",
        "/api/v1/items?kind=document",
    }
    assert set(distributions("audit-log")) == {"/audit.jsonl"}

    (api,) = g.subjects(ns.RDF.type, ns.DCAT.DataService)
    assert g.value(catalog, ns.DCAT.service) == api
    assert g.value(api, ns.DCAT.endpointURL) == URIRef(f"{base}/api/v1/")
    assert g.value(api, ns.DCAT.endpointDescription) == URIRef(f"{base}/api/v1/openapi.json")
    assert g.value(records["/api/v1/items"], ns.DCAT.accessService) == api
    assert URIRef(f"{base}/data/#records") in set(g.objects(api, ns.DCAT.servesDataset))


def test_only_kinds_with_open_records_get_a_dataset(world):
    # Documents have an open record; declarations and submissions have none.
    g = _catalogue()
    datasets = {str(d).rsplit("#", 1)[1] for d in g.subjects(ns.RDF.type, ns.DCAT.Dataset)}
    assert datasets == {"records", "kind-document", "audit-log"}
