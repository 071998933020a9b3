# The BZPEER image: web (gunicorn) and worker (celery) run from it (see docker-compose.yml).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app

WORKDIR /app
COPY pyproject.toml README.md ./
# Install the dependencies first so code edits don't invalidate this layer.
RUN pip install --no-cache-dir .

COPY . .
RUN SECRET_KEY=collectstatic-only python manage.py collectstatic --noinput -v0 \
    && useradd --create-home bzpeer && mkdir -p /app/var && chown bzpeer /app/var
USER bzpeer

EXPOSE 8000
CMD ["gunicorn", "bzpeer.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
