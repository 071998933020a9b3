"""The OpenAlex importer: `import_paths([...])` reads snapshot folders, JSON Lines (plain or
gzipped), API responses and single entities into the corpus. See run.import_paths."""

from works.importer.load import ImportFailed
from works.importer.progress import Counts, ImportSummary
from works.importer.run import import_paths

__all__ = ["Counts", "ImportFailed", "ImportSummary", "import_paths"]
