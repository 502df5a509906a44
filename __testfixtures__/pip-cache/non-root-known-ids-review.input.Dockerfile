FROM python:3.12
RUN groupadd -g 1001 app && useradd -m -u 1001 -g app app
USER app
RUN pip install --user flask
