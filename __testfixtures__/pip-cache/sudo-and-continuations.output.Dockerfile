FROM ubuntu:24.04
RUN --mount=type=cache,target=/root/.cache/pip \
    sudo pip install \
    flask
