FROM python:3.12
WORKDIR /app
COPY . .
RUN poetry install --no-root
