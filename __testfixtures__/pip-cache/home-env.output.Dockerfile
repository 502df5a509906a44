FROM python:3.12
ENV HOME=/home/build
RUN --mount=type=cache,target=/home/build/.cache/pip \
    pip install flask
