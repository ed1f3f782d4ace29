from django.apps import AppConfig


class BenchConfig(AppConfig):
    # Installed for its `generate_sample_data` command: the synthetic records
    # the benchmark and the query-plan tests run on. It has no models.
    name = "bench"
    verbose_name = "Benchmark tools"
