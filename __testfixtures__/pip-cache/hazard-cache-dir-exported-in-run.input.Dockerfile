FROM python:3.12
RUN export PIP_CACHE_DIR=/opt/pip-cache && pip install flask
