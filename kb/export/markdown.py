"""Write a KB snapshot as Markdown: an index, then a folder per domain with one file per skill."""

from __future__ import annotations

import re
from pathlib import Path


def _fence(text: str) -> str:
    """A code fence longer than any backtick run in `text`, so entry text can never close it early."""
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    return "`" * max(3, longest + 1)


def _inline(text: str) -> str:
    """Keep a name on one line and stop Markdown from reading its brackets or stars as markup."""
    flat = " ".join(str(text).split())
    return re.sub(r"([\\`*_\[\]<>#|])", r"\\\1", flat)


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else many or one + 's'}"


def _file_name(node: dict) -> str:
    return node["slug"] or node["id"]


def _entry(entry: dict) -> list[str]:
    fence = _fence(entry["content"])
    return [
        f"### {_inline(entry['title'])}",
        "",
        f"- source: `{entry['locator'].replace('`', '')}`",
        f"- type: {entry['source_type']} · {entry['file_type'] or '-'}",
        "",
        f"{fence}text",
        entry["content"],
        fence,
        "",
    ]


def _skill_page(domain: dict, skill: dict) -> str:
    lines = [
        f"# {_inline(skill['name'])}",
        "",
        f"[{_inline(domain['name'])}](README.md) / {_inline(skill['name'])}",
        "",
    ]
    for group in skill["children"]:
        lines += [f"## {_inline(group['name'])}", ""]
        if group.get("description"):
            lines += [_inline(group["description"]), ""]
        for entry in group["entries"]:
            lines += _entry(entry)
    return "\n".join(lines).rstrip() + "\n"


def _domain_page(domain: dict) -> str:
    lines = [f"# {_inline(domain['name'])}", "", "[All domains](../README.md)", ""]
    for skill in domain["children"]:
        groups = skill["children"]
        n = sum(len(g["entries"]) for g in groups)
        lines.append(
            f"- [{_inline(skill['name'])}]({_file_name(skill)}.md) — {_count(len(groups), 'group')}, "
            f"{_count(n, 'entry', 'entries')}"
        )
    return "\n".join(lines) + "\n"


def _index(snap: dict) -> str:
    c = snap["counts"]
    lines = [
        f"# grove · {_inline(snap['client_id'])}",
        "",
        f"{c['domain']} domains · {c['skill']} skills · {c['entry_group']} groups · {c['entries']} entries",
        "",
    ]
    for domain in snap["tree"]:
        lines.append(
            f"- [{_inline(domain['name'])}]({_file_name(domain)}/README.md) — "
            f"{_count(len(domain['children']), 'skill')}"
        )
    return "\n".join(lines) + "\n"


def write_markdown(snap: dict, out: str | Path) -> list[Path]:
    """Write README.md plus `<domain>/README.md` and `<domain>/<skill>.md` under `out`; return the files."""
    root = Path(out)
    root.mkdir(parents=True, exist_ok=True)
    written = [root / "README.md"]
    written[0].write_text(_index(snap), encoding="utf-8")
    for domain in snap["tree"]:
        folder = root / _file_name(domain)
        folder.mkdir(exist_ok=True)
        (folder / "README.md").write_text(_domain_page(domain), encoding="utf-8")
        written.append(folder / "README.md")
        for skill in domain["children"]:
            page = folder / f"{_file_name(skill)}.md"
            page.write_text(_skill_page(domain, skill), encoding="utf-8")
            written.append(page)
    return written
