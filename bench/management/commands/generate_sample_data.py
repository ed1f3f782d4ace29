import time

from django.core.management.base import BaseCommand, CommandError

from bench import sample_data


class Command(BaseCommand):
    help = (
        "Fills a separate, empty database with synthetic programmes, organisations, events "
        "and services for load tests. Every record is marked synthetic."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programmes", type=int, required=True)
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, programmes, seed, **options):
        if programmes < 1:
            raise CommandError("--programmes must be at least 1.")
        try:
            sample_data.check_target_database()
        except sample_data.SampleDataRefused as refusal:
            raise CommandError(str(refusal)) from refusal

        existing = sample_data.existing_synthetic_programmes()
        if existing == programmes:
            self.stdout.write(f"{existing} synthetic programmes already loaded; nothing to do.")
            return
        if existing:
            # Topping up or shrinking would break the proportions and the
            # seed's reproducibility; a fresh database is quicker and clearer.
            raise CommandError(
                f"This database already holds {existing} synthetic programmes. Drop and "
                "recreate it to generate a different amount."
            )

        started = time.monotonic()
        self.stdout.write(f"Generating {programmes} synthetic programmes (seed {seed})…")
        counts = sample_data.generate(programmes, seed=seed, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Done in {time.monotonic() - started:.0f} s: {counts.programmes} programmes, "
                f"{counts.organisations} organisations, {counts.events} events, "
                f"{counts.services} services."
            )
        )
