FROM python:3.12
RUN pip install flask && rm -rf /root/.cache/*
