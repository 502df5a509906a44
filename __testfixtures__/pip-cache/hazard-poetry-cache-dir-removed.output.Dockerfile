FROM python:3.12
ENV POETRY_CACHE_DIR=/tmp/poetry_cache
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install poetry==1.8.3
COPY pyproject.toml poetry.lock ./
RUN poetry install --no-root && rm -rf ${POETRY_CACHE_DIR}
