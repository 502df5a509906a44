FROM python:3.12
COPY requirements.txt /app/
COPY server.py /app/server.py
RUN mkdir -p /var/log/app
RUN pip install -r /app/requirements.txt
COPY . /app
