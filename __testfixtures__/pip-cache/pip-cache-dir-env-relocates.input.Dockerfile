FROM python:3.12
ENV PIP_CACHE_DIR=/var/cache/pip
RUN pip install flask
