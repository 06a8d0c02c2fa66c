"""Progress bars for `grove run`, fed by the pipeline's custom stream events."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


class RunProgress:
    """One bar per source (items downloaded of items listed) and one for structuring batches."""

    def __init__(self, console: Console, enabled: bool = True) -> None:
        self.enabled = enabled
        self.progress = Progress(TextColumn("{task.description:<22}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=console, disable=not enabled, transient=False)
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
            self.progress.advance(self._task(event["source"], f"explore {event['source']}"))
        elif kind == "batches_planned":
            self.progress.update(self._task("structure", "structure batches"), total=event["batches"])
        elif kind == "batch_structured":
            self.progress.advance(self._task("structure", "structure batches"))
