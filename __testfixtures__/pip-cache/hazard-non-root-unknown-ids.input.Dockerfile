FROM python:3.12
RUN useradd -m app
USER app
RUN pip install --user flask
