FROM python:3.12 AS base
ENV PIP_CACHE_DIR=/pipcache

FROM base
RUN pip install flask
