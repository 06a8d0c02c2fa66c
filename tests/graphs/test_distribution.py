"""grove's top-level packages are not shadowed by another installed distribution."""

from importlib.metadata import distributions

OURS = {"graphs", "nodes", "tools", "kb"}


def test_no_other_distribution_provides_our_packages():
    clashes = []
    for dist in distributions():
        if (dist.metadata["Name"] or "").lower() == "grove":
            continue
        top = (dist.read_text("top_level.txt") or "").split()
        clashes += [(dist.metadata["Name"], name) for name in top if name in OURS]
    assert clashes == []


def test_packages_import_from_this_checkout():
    import graphs
    import kb
    import nodes
    import tools

    roots = {p.__name__: p.__path__[0] for p in (graphs, nodes, tools, kb)}
    assert len({path.rsplit("/", 1)[0] for path in roots.values()}) == 1, roots
