"""A new source type is one declaration: registered here alone, it runs through CLI, Context, tools and the pipeline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli.args import parse_source
from nodes.context import Context
from nodes.explorer.prompts import system_prompt
from tools.scoping import scope_tools
from tools.sources.envelope import fail, ok
from tools.sources.paging import take_page
from tools.sources.registry import Prompts, SourceType, register, unregister
from tools.sources.toolkits import READ_TOOLS, SOURCE_TOOLKIT, load_tool_specs

SPECS = (
    {
        "slug": "WIKIDESK_LIST_ARTICLES",
        "name": "List articles",
        "description": "List help-desk articles, a page at a time.",
        "input_parameters": {
            "type": "object",
            "properties": {
                "page_token": {"type": "string", "description": "Token of the next page."},
                "limit": {"type": "integer", "description": "Articles per page."},
            },
            "required": [],
        },
        "output_parameters": {"type": "object", "properties": {}},
    },
    {
        "slug": "WIKIDESK_GET_ARTICLE",
        "name": "Get an article",
        "description": "Read one article's body.",
        "input_parameters": {
            "type": "object",
            "properties": {"article_id": {"type": "string", "description": "The article id."}},
            "required": ["article_id"],
        },
        "output_parameters": {"type": "object", "properties": {}},
    },
)


class LocalWikiDesk:
    """Serves the two slugs over a folder of <id>.json articles ({"title", "section", "body", "updated"})."""

    def __init__(self, root, downloads) -> None:
        self.articles = {p.stem: json.loads(p.read_text()) for p in sorted(Path(root).glob("*.json"))}

    def execute(self, slug: str, args: dict) -> dict:
        if slug == "WIKIDESK_LIST_ARTICLES":
            rows = [
                {"id": k, "title": a["title"], "section": a["section"], "updated": a["updated"]}
                for k, a in self.articles.items()
            ]
            page, token = take_page(rows, args.get("page_token") or None, int(args.get("limit") or 10))
            return ok({"articles": page, "next_page_token": token or ""})
        if slug == "WIKIDESK_GET_ARTICLE":
            article = self.articles.get(str(args.get("article_id")))
            return (
                ok({"id": args["article_id"], **article}) if article else fail(f"no article {args.get('article_id')!r}")
            )
        return fail(f"{slug} is not served here")


def walk_wikidesk(hands) -> None:
    """List every article page by page, then save each article's body as Markdown."""
    for page in hands.pages("WIKIDESK_LIST_ARTICLES", {"limit": 2}, "page_token", ("next_page_token",)):
        for row in page["articles"]:
            hands.listed += 1
            if not hands.wanted(row["id"]) or hands.unchanged_since_last_run(row["id"], row["updated"]):
                continue
            body = hands.call("WIKIDESK_GET_ARTICLE", {"article_id": row["id"]})["body"]
            hands.keep_bytes(
                {
                    "item_id": row["id"],
                    "kind": "article",
                    "name": row["title"],
                    "revision": row["updated"],
                    "locator": f"wikidesk:{row['section']}/{row['title']}",
                    "hints": [row["section"], row["title"]],
                    "group_key": f"doc:{row['id']}",
                    "group_name": row["title"],
                    "file_type": "md",
                },
                f"wikidesk/{row['id']}.md",
                f"# {row['title']}\n\n{body}\n".encode(),
            )


@pytest.fixture
def wikidesk(tmp_path):
    declared = register(
        SourceType(
            name="wikidesk",
            toolkit="wikidesk",
            label="WikiDesk",
            read_tools=("WIKIDESK_LIST_ARTICLES", "WIKIDESK_GET_ARTICLE"),
            local=LocalWikiDesk,
            walk=walk_wikidesk,
            export="a folder of article JSON files",
            tool_specs=SPECS,
            prompts=Prompts(
                listing="WIKIDESK_LIST_ARTICLES (limit, page_token)",
                sample="WIKIDESK_GET_ARTICLE (article_id) reads one article",
                download="the offline brain saves every article",
            ),
        )
    )
    root = tmp_path / "wikidesk"
    root.mkdir()
    articles = {
        "a1": ("Refund policy", "Billing", "Refunds are paid within 14 days of a return."),
        "a2": ("Password reset", "Accounts", "Reset links expire after 30 minutes."),
        "a3": ("Holiday opening hours", "Support", "The help desk is closed on 25 and 26 December."),
    }
    for key, (title, section, body) in articles.items():
        (root / f"{key}.json").write_text(
            json.dumps({"title": title, "section": section, "body": body, "updated": "2026-01-05T10:00:00Z"})
        )
    yield declared, root
    unregister("wikidesk")


def test_one_declaration_reaches_every_part(wikidesk):
    declared, root = wikidesk
    assert SOURCE_TOOLKIT["wikidesk"] == "wikidesk" and READ_TOOLS["wikidesk"] == declared.read_tools
    assert parse_source(f"wikidesk={root}") == {"type": "wikidesk", "path": str(root.resolve()), "connection": "local"}
    assert Context(sources=[{"type": "wikidesk", "path": str(root)}]).sources[0]["type"] == "wikidesk"
    assert [t.slug for t in load_tool_specs("wikidesk")] == list(declared.read_tools)
    assert "WIKIDESK_LIST_ARTICLES (limit, page_token)" in system_prompt(Context(), "wikidesk", [])
    # Its tools stay its own: another source's explorer never receives them.
    assert scope_tools("drive", [], []) == []
    with pytest.raises(ValueError, match="toolkit 'gmail' already serves source type 'gmail'"):
        register(
            SourceType(
                name="mail2",
                toolkit="gmail",
                label="x",
                read_tools=(),
                local=LocalWikiDesk,
                walk=walk_wikidesk,
                prompts=declared.prompts,
                export="",
            )
        )


def test_a_registered_type_runs_end_to_end(wikidesk, pipeline, tmp_path):
    run_pipeline, _ = pipeline
    _, root = wikidesk
    state, deps = run_pipeline(tmp_path, [{"type": "wikidesk", "path": str(root)}], client_id="desk")
    report = state["report"]
    assert [(s["type"], s["status"], s["listed"], s["downloaded"]) for s in report["sources"]] == [
        ("wikidesk", "ok", 3, 3)
    ]
    assert report["items"]["parsed"] == 3 and report["entries"]["inserted"] >= 3
    ctx = Context(client_id="desk", db=str(tmp_path / "kb.db"))
    hits = deps.store(ctx).search("desk", "refunds paid within")
    assert hits and hits[0].entry.locator.startswith("wikidesk:Billing/Refund policy#")
    assert hits[0].entry.source_type == "wikidesk"
    deps.store.close_all()
    # A second run over the same export downloads nothing: the ledger gates work for the new type too.
    again, _ = run_pipeline(tmp_path, [{"type": "wikidesk", "path": str(root)}], client_id="desk")
    assert again["report"]["items"]["unchanged"] == 3 and again["report"]["items"]["downloaded"] == 0
