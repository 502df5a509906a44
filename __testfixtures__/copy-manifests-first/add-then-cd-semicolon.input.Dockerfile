FROM python:3.12
ADD . /src
RUN cd /src; pip install -r requirements.txt
