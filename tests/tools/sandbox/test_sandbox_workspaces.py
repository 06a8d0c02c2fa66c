"""Workspace naming and a run's cleanup both live in the sandbox layer, so they cannot drift apart."""

from tools.sandbox.sandbox import Sandbox
from tools.sandbox.workspace import remove_run_workspaces, workspace_name


def test_cleanup_removes_the_runs_own_workspaces_and_no_other(tmp_path):
    for run_id, agent in [("r1", "gmail"), ("r1", "batch_0001"), ("r10", "gmail"), ("r1_x", "drive")]:
        box = Sandbox(tmp_path, run_id, agent, isolation="process")
        box.write_text("note.txt", "removed with its workspace")
        box.close()
    removed = remove_run_workspaces(tmp_path, "r1")
    assert sorted(p.name for p in removed) == sorted(
        [workspace_name("r1", "gmail"), workspace_name("r1", "batch_0001")]
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [workspace_name("r10", "gmail"), workspace_name("r1_x", "drive")]
    )
    assert remove_run_workspaces(tmp_path, "r1") == []


def test_a_sandbox_workspace_carries_the_name_cleanup_looks_for(tmp_path):
    box = Sandbox(tmp_path, "run 1/odd", "explorer:gmail", isolation="process")
    try:
        assert box.workspace == tmp_path / workspace_name("run 1/odd", "explorer:gmail")
    finally:
        box.close()
    assert remove_run_workspaces(tmp_path, "run 1/odd") == [box.workspace]
