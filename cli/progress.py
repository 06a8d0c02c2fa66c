"""Progress bars for `grove run`, fed by the pipeline's custom stream events."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class RunProgress:
    """One bar per source (items downloaded of items found), one for structuring batches, one for writing them."""

    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.enabled = enabled
        self.progress = Progress(
            TextColumn("{task.description:<22}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            disable=not enabled,
            transient=False,
        )
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> "RunProgress":
        self.progress.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.progress.__exit__(*exc)

    def _task(self, key: str, label: str) -> int:
        if key not in self.tasks:
            self.tasks[key] = self.progress.add_task(label, total=None)
        return self.tasks[key]

    def handle(self, event: dict) -> None:
        kind = event.get("event")
        if kind == "source_listed":
            self.progress.update(self._task(event["source"], f"explore {event['source']}"), total=event["listed"])
        elif kind == "item_downloaded":
            self._advance(self._task(event["source"], f"explore {event['source']}"))
        elif kind == "batches_planned":
            self.progress.update(self._task("structure", "structure batches"), total=event["batches"])
            self.progress.update(self._task("write", "write KB (batches)"), total=event["batches"])
        elif kind == "batch_structured":
            self.progress.advance(self._task("structure", "structure batches"))
        elif kind == "entries_written":
            self.progress.advance(self._task("write", "write KB (batches)"))

    def _advance(self, task_id: int) -> None:
        """Advance a bar; items found beyond the listing (mail attachments) raise its total."""
        task = next(t for t in self.progress.tasks if t.id == task_id)
        if task.total is not None and task.completed + 1 > task.total:
            self.progress.update(task_id, total=task.completed + 1)
        self.progress.advance(task_id)
