# cai: one image for the web process (gunicorn) and the Celery worker. See docker-compose.yml.

# 1. Front-end libraries from npm, pinned by the lock file and copied as `make assets` does (no CDN).
#    Keep this list in step with the Makefile's $(VENDOR)/.stamp target.
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error \
 && mkdir -p vendor/bootstrap vendor/bootstrap-icons/fonts vendor/htmx \
 && cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/js/bootstrap.bundle.min.js vendor/bootstrap/ \
 && cp node_modules/bootstrap-icons/font/bootstrap-icons.min.css vendor/bootstrap-icons/ \
 && cp node_modules/bootstrap-icons/font/fonts/* vendor/bootstrap-icons/fonts/ \
 && cp node_modules/htmx.org/dist/htmx.min.js vendor/htmx/

# 2. The project and its Python dependencies in a virtualenv; translations compiled, static files collected.
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PATH=/opt/venv/bin:$PATH
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
WORKDIR /app
COPY . .
COPY --from=assets /build/vendor static/vendor
RUN pip install . \
 && rm -rf build *.egg-info
# collectstatic only needs importable settings: throw-away values, never used at run time.
RUN if [ -d locale ]; then python manage.py compilemessages --ignore=static; fi \
 && DJANGO_SETTINGS_MODULE=cai.settings.production DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 python manage.py collectstatic --noinput

# 3. Run time: Pango and fonts for WeasyPrint, no compilers, a non-root user.
FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=cai.settings.production
# libharfbuzz-subset0 is optional for WeasyPrint: it makes font subsetting faster than fontTools.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin cai
COPY --from=build /opt/venv /opt/venv
# The code stays owned by root (read-only for the app); only var/media (uploads, generated reports) is writable.
COPY --from=build /app /app
RUN mkdir -p /app/var/media && chown cai:cai /app/var/media
WORKDIR /app
USER cai
EXPOSE 8000
# Tune with GUNICORN_CMD_ARGS (for example "--workers 5") without rebuilding.
CMD ["gunicorn", "cai.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
