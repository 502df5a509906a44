FROM python:3.12
WORKDIR /app
COPY . .
RUN --mount=type=bind,source=.,target=/src pip install -r requirements.txt
