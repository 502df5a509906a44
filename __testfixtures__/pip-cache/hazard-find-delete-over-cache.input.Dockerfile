FROM python:3.12
RUN pip install flask && find /root/.cache -mindepth 0 -delete
