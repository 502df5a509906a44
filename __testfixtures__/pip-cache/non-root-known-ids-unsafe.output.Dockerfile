FROM python:3.12
RUN groupadd -g 1001 app && useradd -m -u 1001 -g app app
USER app
RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1001,gid=1001 \
    pip install --user flask
