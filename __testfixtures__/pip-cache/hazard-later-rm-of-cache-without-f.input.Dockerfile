FROM python:3.12
RUN pip install flask
RUN rm -r /root/.cache/pip
