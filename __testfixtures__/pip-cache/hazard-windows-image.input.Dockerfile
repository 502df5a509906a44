FROM python:3.13-windowsservercore
RUN pip install flask
