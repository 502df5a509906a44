FROM python:3.12
RUN pip3 install --no-cache flask
