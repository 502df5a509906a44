FROM python:3.13-slim
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install flask sqlalchemy requests
RUN --mount=type=cache,target=/root/.cache/pip \
    pip install flask sqlalchemy requests \ \
RUN rm -rf /root/.cache/pip
