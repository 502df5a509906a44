FROM python:3.12
ARG CACHE
ENV PIP_CACHE_DIR=$CACHE
RUN pip install flask
