from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.urls import reverse

from works.importer import import_paths

# Mitchell Wortsman in demo_data/ (see demo_data/README.md for the id convention).
DEMO_RESEARCHER_ID = "ADEMO0001"


class Command(BaseCommand):
    help = (
        "Load the demo dataset in demo_data/ (Mitchell Wortsman, his five works and their "
        "co-authors) through the OpenAlex importer. Safe to run again: it changes nothing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--quiet", action="store_true", help="Do not report progress.")

    def handle(self, *args: object, quiet: bool, **options: object) -> None:
        summary = import_paths(
            [settings.BASE_DIR / "demo_data"], progress=False if quiet else self.stdout
        )
        self.stdout.write(str(summary))
        url = reverse("profiles:detail", args=[DEMO_RESEARCHER_ID])
        self.stdout.write(self.style.SUCCESS(f"Demo researcher page: {url}"))
