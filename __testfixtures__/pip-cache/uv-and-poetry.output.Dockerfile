FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/uv \
    uv pip install --system -r requirements.txt
RUN --mount=type=cache,target=/root/.cache/pypoetry/cache \
    --mount=type=cache,target=/root/.cache/pypoetry/artifacts \
    poetry install --no-root
