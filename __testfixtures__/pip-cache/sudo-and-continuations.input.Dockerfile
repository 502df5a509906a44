FROM ubuntu:24.04
RUN sudo pip install \
    --no-cache-dir \
    flask
