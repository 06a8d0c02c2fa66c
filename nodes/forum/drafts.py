"""A model's lessons as forum drafts, one shape for both phases (the store scrubs them before writing)."""

from __future__ import annotations

from typing import Callable, Iterable, Protocol


class Lesson(Protocol):
    """What a model writes as a lesson: the file type it concerns, a title and a body."""

    file_type: str
    title: str
    body: str


def forum_drafts(lessons: Iterable[Lesson], phase: str, source_type_of: Callable[[str], str | None]) -> list[dict]:
    """Turn lessons into forum drafts of `phase`, whitespace collapsed and lengths capped.

    `source_type_of(file_type)` names the draft's source type, or None to drop a lesson (a structurer
    only posts about file types its batch really holds). Lessons without a title or body are dropped.
    """
    drafts = []
    for lesson in lessons:
        file_type = lesson.file_type.strip().lower().lstrip(".")
        source_type = source_type_of(file_type)
        if source_type is None or not lesson.title.strip() or not lesson.body.strip():
            continue
        drafts.append(
            {
                "source_type": source_type,
                "phase": phase,
                "file_type": file_type[:16],
                "title": " ".join(lesson.title.split())[:120],
                "body": " ".join(lesson.body.split())[:600],
            }
        )
    return drafts
