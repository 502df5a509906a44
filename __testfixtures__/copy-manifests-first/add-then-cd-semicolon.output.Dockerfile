FROM python:3.12
COPY requirements.txt /src/
RUN cd /src; pip install -r requirements.txt
ADD . /src
