# One image for every process: the web server, the Celery worker and Celery beat (docker-compose.yml).
# Settings come from the environment at run time; see .env.example.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_NO_CACHE=1 \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH"

# WeasyPrint renders PDFs with Pango and HarfBuzz; DejaVu gives it fonts without the network.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
RUN pip install --no-cache-dir --disable-pip-version-check uv==0.13.9

WORKDIR /app

# Dependencies before the code, so that changing the code does not reinstall them.
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --locked --no-dev --no-install-project

COPY . .

# collectstatic only needs the settings to load; this key exists for the build and is never used to
# sign anything. The real SECRET_KEY comes from the environment when a container starts.
RUN SECRET_KEY=build-time-only-collectstatic-key-never-used-at-run-time-0123456789 \
    python manage.py collectstatic --no-input

# The code and the collected static files stay owned by root: the service cannot change them.
RUN useradd --system --no-create-home --shell /usr/sbin/nologin app
USER app

EXPOSE 8000
# /dev/shm keeps gunicorn's worker heartbeat files off the container's disk; the control socket is
# off because the service user has no home directory to put it in.
CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--worker-tmp-dir", "/dev/shm", "--no-control-socket", "--access-logfile", "-"]
