FROM python:3.13-slim
RUN export HOME=/tmp && pip install flask
RUN rm -rf ~/.cache/pip
