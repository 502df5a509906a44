FROM python:3.12 AS build
RUN pip wheel --wheel-dir /root/.cache/pip/built flask
FROM python:3.12-slim
COPY --from=build /root/.cache/pip/built /wheels
RUN pip install --no-index /wheels/*.whl
