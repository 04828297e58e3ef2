# syntax=docker/dockerfile:1
# One image for every role: web (the default command, gunicorn), the Celery worker, Celery beat
# and the one-shot migration; docker-compose.yml picks the command for each.
#
#   docker build -t grid-governance .
#   docker run --rm -e SECRET_KEY=... -e ALLOWED_HOSTS=gov.example.cn \
#     -e DATABASE_URL=postgres://... -e REDIS_URL=redis://... -p 8000:8000 grid-governance

# --- Stage 1: the dependencies, installed exactly as pinned (and hashed) by `make lock` ------
FROM python:3.13-slim AS deps

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/venv
COPY requirements/base.txt /tmp/requirements.txt
RUN /opt/venv/bin/pip install --require-hashes -r /tmp/requirements.txt

# --- Stage 2: the application ----------------------------------------------------------------
FROM python:3.13-slim

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    APP_ENV=production \
    VAR_DIR=/app/var \
    MEDIA_ROOT=/app/var/media \
    WEB_CONCURRENCY=3

# A fixed, unprivileged id, so volume ownership is predictable across rebuilds.
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin app

WORKDIR /app
COPY --from=deps /opt/venv /opt/venv
# The code stays owned by root: the app user can read it, not change it.
COPY . .

# Build-time steps need settings that load in production mode, but no secret: this key exists
# only for this RUN (it is not an ENV, so it is not in the image's configuration) and signs
# nothing. Translations are compiled with polib (no gettext in the image); static files are
# collected, hashed and compressed into $VAR_DIR/static, which whitenoise serves.
RUN export SECRET_KEY=build-only-key-that-signs-nothing-000000000000000000000 \
        ALLOWED_HOSTS=build.invalid \
    && python manage.py compiletranslations \
    && python manage.py collectstatic --no-input --verbosity 1 \
    && python -m compileall -q -x '(^|/)(var|tests)/' . \
    && mkdir -p /app/var/media \
    && chown -R app:app /app/var

USER app
EXPOSE 8000

# slim images have no curl. Django only answers host names in ALLOWED_HOSTS, so the probe sends
# the first of them (a leading-dot wildcard loses its dot); /healthz is exempt from the HTTPS
# redirect. Any status other than 2xx, or no answer, raises and fails the check.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = (os.environ.get('ALLOWED_HOSTS') or 'localhost').split(',')[0].strip().lstrip('.'); u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"]

# Workers: $WEB_CONCURRENCY (gunicorn reads it itself); extra flags: $GUNICORN_CMD_ARGS.
# Heartbeat files go to /dev/shm, because a container's /tmp may be a slow overlay file system.
CMD ["gunicorn", "governance.wsgi", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--worker-tmp-dir", "/dev/shm"]
