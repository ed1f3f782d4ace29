"""Redoes the search text that renames left to be redone (every minute)."""

from django.core.management.base import BaseCommand

from directory.search import refresh_pending


class Command(BaseCommand):
    help = (
        "Redo the search text of the records repeating a renamed region, sector or "
        "kind of help, when the rename named more than the admin save redoes itself. "
        "Run every minute; runs may overlap."
    )

    def handle(self, *args, **options):
        done = refresh_pending()
        self.stdout.write(f"{done} records' search text redone.")
