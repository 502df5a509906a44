FROM python:3.12
RUN tmp="$(mktemp -d)" && pip download -d "$tmp" flask && pip install "$tmp"/*.whl && rm -rf "$tmp"
