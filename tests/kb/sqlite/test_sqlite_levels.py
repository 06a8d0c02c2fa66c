"""The tree has exactly three levels; entries hang only from entry groups."""

from __future__ import annotations

import sqlite3

import pytest

from kb.models import LevelError


def test_ensure_path_builds_domain_skill_group(store):
    domain, skill, group = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs", "Pay runs")
    assert (domain.level, skill.level, group.level) == ("domain", "skill", "entry_group")
    assert domain.parent_id is None
    assert skill.parent_id == domain.id and group.parent_id == skill.id
    assert group.description == "Pay runs"
    assert store.counts("acme") == {"domain": 1, "skill": 1, "entry_group": 1, "entries": 0, "items": 0}


def test_no_fourth_level(store):
    _, _, group = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    for level in ("domain", "skill", "entry_group"):
        with pytest.raises(LevelError):
            store.ensure_node("acme", level, "Too deep", parent_id=group.id)
    assert len(store.tree("acme")) == 3


def test_wrong_level_parent(store):
    domain, skill, _ = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    with pytest.raises(LevelError):
        store.ensure_node("acme", "skill", "Orphan skill")  # a skill needs a domain
    with pytest.raises(LevelError):
        store.ensure_node("acme", "entry_group", "Group under domain", parent_id=domain.id)
    with pytest.raises(LevelError):
        store.ensure_node("acme", "skill", "Skill under skill", parent_id=skill.id)
    with pytest.raises(LevelError):
        store.ensure_node("acme", "domain", "Domain with parent", parent_id=domain.id)
    with pytest.raises(LevelError):
        store.ensure_node("acme", "leaf", "Unknown level", parent_id=skill.id)
    assert store.ensure_node("acme", "entry_group", "Bonuses", parent_id=skill.id).level == "entry_group"


def test_parent_of_another_client_is_refused(store):
    domain, _, _ = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    with pytest.raises(LevelError):
        store.ensure_node("globex", "skill", "Payroll", parent_id=domain.id)
    assert store.tree("globex") == []


@pytest.mark.parametrize("names", [("", "Payroll", "Runs"), ("Finance", "  ", "Runs"), ("Finance", "Payroll", "!!!")])
def test_every_level_needs_a_name(store, names):
    with pytest.raises(LevelError):
        store.ensure_path("acme", *names)
    assert store.tree("acme") == []


def test_entries_carry_their_domain_and_skill(store, make_draft):
    store.upsert_entries("acme", [make_draft("Payroll closes on the 25th.")], "run-1")
    domain, skill, group = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    [entry] = store.entries("acme")
    assert (entry.domain_id, entry.skill_id, entry.tree_node_id) == (domain.id, skill.id, group.id)


def test_schema_refuses_entries_outside_entry_groups(store, db_path):
    domain, skill, _ = store.ensure_path("acme", "Finance", "Payroll", "Monthly runs")
    conn = sqlite3.connect(db_path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="grove-level"):
            conn.execute(
                "INSERT INTO knowledge_entries (id, client_id, tree_node_id, domain_id, skill_id, title,"
                " content, source_type, file_type, locator, item_id, content_hash, run_id)"
                " VALUES ('e1', 'acme', ?, ?, ?, 't', 'c', 'gmail', 'eml', 'l', 'i', 'h', 'r')",
                (skill.id, domain.id, skill.id),
            )
        with pytest.raises(sqlite3.IntegrityError, match="grove-level"):
            conn.execute(
                "INSERT INTO knowledge_tree (id, client_id, parent_id, level, name, slug)"
                " VALUES ('n1', 'acme', '', 'skill', 'Loose', 'loose')"
            )
    finally:
        conn.close()
    assert store.counts("acme")["entries"] == 0
