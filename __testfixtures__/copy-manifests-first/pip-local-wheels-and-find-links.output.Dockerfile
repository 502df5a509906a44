FROM python:3.12
WORKDIR /app
COPY requirements.txt .
COPY vendor/pkg-1.0-py3-none-any.whl ./vendor/
COPY wheels ./wheels/
RUN pip install --no-index --find-links ./wheels -r requirements.txt
COPY . .
