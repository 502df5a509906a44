FROM python:3.12
RUN --mount=type=bind,source=cache,target=/root/.cache/pip pip install --no-cache-dir flask
