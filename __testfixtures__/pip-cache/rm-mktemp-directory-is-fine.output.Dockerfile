FROM python:3.12
RUN --mount=type=cache,target=/root/.cache/pip \
    tmp="$(mktemp -d)" && pip download -d "$tmp" flask && pip install "$tmp"/*.whl && rm -rf "$tmp"
