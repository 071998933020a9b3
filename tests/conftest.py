import pytest


def pytest_configure(config: pytest.Config) -> None:
    from django.conf import settings

    # Production uses WhiteNoise's manifest storage, which needs `collectstatic` first; tests
    # serve static files straight from static/ instead.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Pages may cache; each test starts from an empty cache.
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
