"""The structurer's answer is checked; one repair is asked for; a second failure falls back to the offline brain."""

from __future__ import annotations

from functools import partial

from llm_fakes import FakeModels
from llm_harness import run_llm
from llm_policies import reply_for

from graphs.explorer import build_explorer_graph
from graphs.structurer import build_structurer_graph
from nodes.context import Context
from nodes.deps import default_deps
from nodes.structurer.checks import SourceView, check_plan, names, numbers, source_view
from nodes.structurer.plan import BatchPlan


def _run(tmp_path, tiny_sources, mode):
    models = FakeModels(structurer_policy=partial(reply_for, plan_mode=mode))
    state, deps, ctx = run_llm(tmp_path, tiny_sources, models)
    store = deps.store(ctx)
    contents = [
        e.content
        for n in store.tree(ctx.client_id)
        if n.level == "entry_group"
        for e in store.entries(ctx.client_id, n.id)
    ]
    deps.store.close_all()
    return state, models, contents


def test_a_failed_check_gets_one_repair(tmp_path, tiny_sources):
    state, models, contents = _run(tmp_path, tiny_sources, "bad_then_good")
    (batch,) = state["structures"]
    assert batch["brain"] == "model" and state["report"]["brains"]["fallbacks"] == []
    (structurer,) = models.of("structurer")
    assert len(structurer.seen) == 2  # the plan and its repair
    assert state["report"]["usage"]["agents"]["structure-batch-00000"]["calls"] == 2
    assert contents and not any("Zanzibar" in c for c in contents)


def test_a_second_failure_falls_back_to_the_offline_brain(tmp_path, tiny_sources):
    state, models, contents = _run(tmp_path, tiny_sources, "always_bad")
    (batch,) = state["structures"]
    assert batch["brain"] == "offline-fallback" and batch["status"] == "ok"
    assert "numbers not in the source: 999" in batch["fallback_reason"]
    assert "names not in the source: Zanzibar" in batch["fallback_reason"]
    report = state["report"]
    assert report["brain"] == "model:fake:model (offline fallback in 1 of 1 batches)"
    assert report["brains"]["fallbacks"] == [{"batch_id": "batch-00000", "reason": batch["fallback_reason"]}]
    # The offline brain wrote the batch: entries exist, none of the invented text reached the KB.
    assert len(contents) == report["entries"]["inserted"] > 0 and not any("Zanzibar" in c for c in contents)
    assert len(models.of("structurer")[0].seen) == 2


def _plan(**placement) -> BatchPlan:
    base = {
        "item_id": "m1",
        "domain": "Finance",
        "skill": "Budgeting",
        "entry_group": "Q3 budget",
        "entries": [{"title": "Budget", "content": "The travel budget for Q3 is 12500 dollars.", "locator": "body"}],
    }
    base.update(placement)
    return BatchPlan.model_validate({"items": [base], "patterns": []})


VIEW = {"m1": SourceView("Hi Bob,\nThe travel budget for Q3 is 12,500 dollars. Ann Lee", frozenset({"body"}))}


def test_check_accepts_a_faithful_answer_with_normalised_numbers():
    assert check_plan(_plan(), VIEW) == []
    assert numbers("12,500 and 3.25") == {"12500", "3.25"}
    assert names("The budget. Approved by Ann Lee for Enron.") == ["Ann", "Lee", "Enron"]


def test_check_catches_levels_locators_numbers_names_and_coverage():
    errors = check_plan(_plan(entry_group="Finance/Budgets/Q3"), VIEW)
    assert len(errors) == 1 and "exactly three levels" in errors[0]
    assert "skill is empty" in check_plan(_plan(skill=" "), VIEW)[0]
    bad = [{"title": "x", "content": "Budget is 13,500 per Zorro.", "locator": "page=4"}]
    errors = check_plan(_plan(entries=bad), VIEW)
    assert any("locator 'page=4' is not a section" in e for e in errors)
    assert any("numbers not in the source: 13500" in e for e in errors)
    assert any("names not in the source: Zorro" in e for e in errors)
    assert check_plan(_plan(item_id="m9"), VIEW) == [
        "document 'm1' is missing: place every document exactly once",
        "'m9' is not a document of this batch",
    ]
    assert "no entries" in check_plan(_plan(entries=[]), VIEW)[0]


def test_names_of_the_existing_tree_are_reused(tmp_path, tiny_sources):
    prompts = []

    def record(messages, tools):
        prompts.append(messages[-1]["content"])
        return reply_for(messages, tools)

    deps = default_deps(chat_model=FakeModels(record))
    ctx = Context(
        client_id="c",
        db=str(tmp_path / "kb.db"),
        workspace_root=str(tmp_path / "ws"),
        isolation="process",
        structurer_model="fake:m",
    )
    items = build_explorer_graph(deps).invoke(
        {"run_id": "r", "source": tiny_sources[2], "source_key": "s"}, context=ctx
    )["explorations"][0]["items"]
    tree = [{"domain": "FINANCE", "skill": "records", "group": "Old group"}]
    out = build_structurer_graph(deps).invoke(
        {"run_id": "r", "batch": {"batch_id": "b", "items": items}, "tree": tree}, context=ctx
    )
    deps.store.close_all()
    (draft,) = out["structures"][0]["drafts"]
    assert (draft["domain"], draft["skill"]) == ("FINANCE", "records")
    assert "FINANCE > records: Old group" in prompts[-1]
    assert out["usage"]["structure-b"]["calls"] == 1 and "explore-s" not in out["usage"]


TABLE_VIEW = {
    "m1": source_view(
        {
            "sections": [
                {
                    "title": "Sheet rows 1-3",
                    "locator": "rows=1-3",
                    "kind": "table",
                    "text": "Row | Region | Volume\n2 | West | 1090\n3 | East | 12500",
                }
            ]
        }
    )
}


def test_check_holds_the_model_to_the_unit_rules():
    whole = [{"title": "Volumes by region", "content": "Row | Region | Volume\n2 | West | 1090", "locator": "rows=1-3"}]
    assert check_plan(_plan(entries=whole), TABLE_VIEW) == []
    cut = [{"title": "Volumes", "content": "Row | Region | Volume\n2 | West", "locator": "rows=1-3"}]
    assert any("row 2 is cut" in e for e in check_plan(_plan(entries=cut), TABLE_VIEW))
    twice = [
        {
            "title": "Volumes",
            "content": "Row | Region | Volume\n2 | West | 1090\nRow | Region | Volume\n3 | East | 12500",
            "locator": "rows=1-3",
        }
    ]
    assert any("header is repeated" in e for e in check_plan(_plan(entries=twice), TABLE_VIEW))
    parted = [
        {"title": "Budget (part 2/3)", "content": "The travel budget for Q3 is 12500 dollars.", "locator": "body"}
    ]
    assert any("'part n'" in e for e in check_plan(_plan(entries=parted), VIEW))
    for group in ("Re: Fw:", "(no subject)", "attachment-1"):
        assert any("readable topic name" in e for e in check_plan(_plan(entry_group=group), VIEW)), group
    same = _plan()
    same.items[0].entries.append(same.items[0].entries[0])
    assert any("the same text" in e for e in check_plan(same, VIEW))
