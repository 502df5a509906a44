FROM python:3.12
WORKDIR /app
COPY requirements.txt .
RUN python -m venv /opt/venv
RUN rm -rf build && /opt/venv/bin/pip install -r requirements.txt
COPY . .
