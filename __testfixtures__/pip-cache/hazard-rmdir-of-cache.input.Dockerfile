FROM python:3.12
RUN pip install flask && rmdir /root/.cache/pip /root/.cache || true
