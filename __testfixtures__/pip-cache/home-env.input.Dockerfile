FROM python:3.12
ENV HOME=/home/build
RUN pip install flask
