"""What a worker process of `import_openalex --workers` runs. Outside works.importer on
purpose: a spawned process unpickles these functions by importing this module before Django
is set up, and this module imports nothing that needs the app registry until it is."""

import os
import random
import time
from typing import Any

# Attempts at a part in a worker process before it is failed (transient errors only).
PART_ATTEMPTS = 4


def setup(database: str) -> None:
    """Set Django up in this process, on the parent's database (the test database under
    pytest), not the one the environment names."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bzpeer.settings")
    import django

    django.setup()
    from django.db import connections

    connections["default"].settings_dict["NAME"] = database


def import_part(part_id: int) -> Any:
    """One part (its ImportSummary, or None if not imported here), tried again after a
    transient database error."""
    from django.db import connection

    from works.importer.parallel import PartRetry, import_part_run

    for attempt in range(1, PART_ATTEMPTS + 1):
        try:
            return import_part_run(part_id=part_id, final_attempt=attempt == PART_ATTEMPTS).summary
        except PartRetry:
            connection.close()  # a connection that broke is opened afresh
            time.sleep(random.uniform(0.5, 1.0) * 2**attempt)
    return None  # not reached: the final attempt settles the part
