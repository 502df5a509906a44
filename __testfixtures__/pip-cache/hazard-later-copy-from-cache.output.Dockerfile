FROM python:3.12 AS build
RUN pip wheel --wheel-dir /root/.cache/pip/built flask
FROM python:3.12-slim
COPY --from=build /root/.cache/pip/built /wheels
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install --no-index /wheels/*.whl
