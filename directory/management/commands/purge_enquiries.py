"""Deletes answered and closed enquiries older than ENQUIRY_RETENTION_DAYS."""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db.models import Q
from django.utils import timezone

from directory.models import Enquiry


class Command(BaseCommand):
    help = "Delete answered and closed enquiries older than settings.ENQUIRY_RETENTION_DAYS."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Count, delete nothing.")

    def handle(self, *args, dry_run=False, **options):
        cutoff = timezone.now() - datetime.timedelta(days=settings.ENQUIRY_RETENTION_DAYS)
        # Counted from when it was answered or closed (its receipt if unknown).
        old = Enquiry.objects.filter(
            Q(answered_at__lt=cutoff) | Q(answered_at__isnull=True, created_at__lt=cutoff),
            status__in=[Enquiry.Status.ANSWERED, Enquiry.Status.CLOSED],
        )
        if dry_run:
            self.stdout.write(f"{old.count()} enquiries would be deleted.")
            return
        deleted, _by_model = old.delete()
        self.stdout.write(f"{deleted} enquiries deleted (older than {cutoff:%Y-%m-%d}).")
