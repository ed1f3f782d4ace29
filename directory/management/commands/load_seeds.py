from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.seeding import DEFAULT_SEEDS_DIR, SeedError, load_seeds


class Command(BaseCommand):
    help = (
        "Load the curated organisations, programmes, services and events (with their source "
        "articles and citations) from the seed YAML files. Safe to re-run: records staff "
        "edited since the last load are skipped unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--seeds-dir",
            type=Path,
            default=DEFAULT_SEEDS_DIR,
            help="Directory holding articles.yaml, regions.yaml … (default: seeds/).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report what would change, and write nothing.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite records that staff edited since the last load.",
        )

    def handle(self, *args, seeds_dir, dry_run, force, **options):
        try:
            report = load_seeds(seeds_dir, force=force, dry_run=dry_run)
        except SeedError as error:
            raise CommandError(f"Nothing was loaded. {error}") from error
        for line in report.lines():
            self.stdout.write(line)
        summary = (
            f"{report.total('created')} created, {report.total('updated')} updated, "
            f"{report.total('unchanged')} unchanged, {report.total('skipped')} skipped."
        )
        if dry_run:
            self.stdout.write(self.style.WARNING(f"Dry run, nothing was written: {summary}"))
        else:
            self.stdout.write(self.style.SUCCESS(f"Seeds loaded: {summary}"))
