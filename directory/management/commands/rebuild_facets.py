import time

from django.core.management.base import BaseCommand

from directory import facets
from directory.models import FacetEntry, FacetTotal


class Command(BaseCommand):
    help = (
        "Recomputes every facet count from the records and their relations. Saves "
        "keep them current; run this after writing to the tables with SQL or bulk "
        "writes, which send no signals."
    )

    def handle(self, *args, **options):
        started = time.monotonic()
        facets.rebuild()
        self.stdout.write(
            f"{FacetEntry.objects.count():,} facet entries, {FacetTotal.objects.count():,} "
            f"totals, in {time.monotonic() - started:.1f} s"
        )
