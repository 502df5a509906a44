FROM python:3.12
WORKDIR /app
COPY . .
RUN uv sync --frozen --no-install-project
