from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Report:
    counts: dict = field(default_factory=dict)
    skipped: list = field(default_factory=list)  # (label, name, reason)
    dry_run: bool = False

    def count(self, label, outcome):
        self.counts.setdefault(label, Counter())[outcome] += 1

    def total(self, outcome):
        return sum(counter[outcome] for counter in self.counts.values())

    def lines(self):
        for label, counter in self.counts.items():
            yield (
                f"{label}: {counter['created']} created, {counter['updated']} updated, "
                f"{counter['unchanged']} unchanged, {counter['skipped']} skipped"
            )
        for label, name, reason in self.skipped:
            yield f"skipped {label} '{name}': {reason}"
